package com.membersync.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to tell which metrics and labels an expression asks for: its selectors
 * ({@code metric{label="value"}}), the labels it groups or matches by ({@code by (...)}, {@code without (...)},
 * {@code on (...)}, {@code ignoring (...)}), and the functions it calls; and of Prometheus' text format, to tell which
 * metrics and labels a push carried. For tests that hold shipped queries (the dashboard) to what member-sync pushes.
 */
final class PromQl {

    /** Functions and aggregations the shipped queries may use; any other name before a parenthesis is a typo. */
    static final Set<String> FUNCTIONS = Set.of("sum", "max", "min", "avg", "count", "topk", "bottomk", "time", "abs",
            "last_over_time", "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "clamp_min",
            "clamp_max", "histogram_quantile", "vector", "scalar", "sort", "sort_desc", "label_values");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");
    private static final Pattern TOKEN = Pattern.compile("\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'"
            + "|[A-Za-z_:][A-Za-z0-9_:]*|\\$\\{?[A-Za-z0-9_]+}?|[0-9.]+[a-z]*|=~|!~|!=|==|>=|<=|[{}()\\[\\],=+\\-*/<>^%])");
    private static final Pattern SAMPLE_LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** {@code label op "value"} inside a selector's braces. */
    record LabelMatcher(String label, String op, String value) {}

    /** A metric asked for, with its matchers. */
    record Selector(String metric, List<LabelMatcher> matchers) {}

    /** What an expression asks for. */
    record Expression(List<Selector> selectors, Set<String> groupedBy, Set<String> functions) {}

    private PromQl() {}

    /** Parses an expression, or Grafana's {@code label_values(selector, label)} (the label then counts as grouped by). */
    static Expression parse(String expr) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(expr);
        int at = 0;
        while (at < expr.length() && m.find(at) && m.start() == at) {
            tokens.add(m.group(1));
            at = m.end();
        }
        if (!expr.substring(at).isBlank()) {
            throw new IllegalArgumentException("cannot read '" + expr.substring(at) + "' in " + expr);
        }
        List<Selector> selectors = new ArrayList<>();
        Set<String> groupedBy = new LinkedHashSet<>();
        Set<String> functions = new LinkedHashSet<>();
        boolean labelValues = !tokens.isEmpty() && tokens.getFirst().equals("label_values");
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (token.equals("[")) {
                i = indexOf(tokens, "]", i); // a range, [1d] or [$__interval]: no names in it
            } else if (!Character.isLetter(token.charAt(0)) && token.charAt(0) != '_') {
                continue;
            } else if (LABEL_LISTS.contains(token)) {
                i = labels(tokens, i + 1, groupedBy);
            } else if (KEYWORDS.contains(token)) {
                continue;
            } else if (next.equals("(") || next.equals("by") || next.equals("without")) {
                functions.add(token); // a function, or an aggregation: sum (...), sum by (...) (...)
            } else if (labelValues && next.equals(")")) {
                groupedBy.add(token); // label_values(metric, label) or label_values(label)
            } else {
                List<LabelMatcher> matchers = new ArrayList<>();
                if (next.equals("{")) {
                    i = matchers(tokens, i + 2, matchers);
                }
                selectors.add(new Selector(token, matchers));
            }
        }
        return new Expression(selectors, groupedBy, functions);
    }

    private static int indexOf(List<String> tokens, String token, int from) {
        for (int i = from; i < tokens.size(); i++) {
            if (tokens.get(i).equals(token)) {
                return i;
            }
        }
        return tokens.size();
    }

    /** Reads {@code (a, b)} from {@code i} (if there is one), returns the index of its closing parenthesis. */
    private static int labels(List<String> tokens, int i, Set<String> into) {
        if (i >= tokens.size() || !tokens.get(i).equals("(")) {
            return i - 1;
        }
        int close = indexOf(tokens, ")", i);
        tokens.subList(i + 1, close).stream().filter(t -> !t.equals(",")).forEach(into::add);
        return close;
    }

    /** Reads matchers from {@code i} up to the closing brace, returns its index. */
    private static int matchers(List<String> tokens, int i, List<LabelMatcher> into) {
        while (i < tokens.size() && !tokens.get(i).equals("}")) {
            if (tokens.get(i).equals(",")) {
                i++;
                continue;
            }
            String value = tokens.get(i + 2);
            into.add(new LabelMatcher(tokens.get(i), tokens.get(i + 1), value.substring(1, value.length() - 1)));
            i += 3;
        }
        return i;
    }

    /** Per metric, the labels its samples carry and the values each took, from pushes in the text format. */
    static Map<String, Map<String, Set<String>>> exposition(String text) {
        Map<String, Map<String, Set<String>>> metrics = new TreeMap<>();
        for (String line : text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Map<String, Set<String>> labels = metrics.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (brace >= 0 && brace < space) {
                Matcher label = SAMPLE_LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.computeIfAbsent(label.group(1), l -> new TreeSet<>()).add(label.group(2));
                }
            }
        }
        return metrics;
    }
}
