package com.membersync.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses settings under {@code member-sync.} that nothing reads: a misspelt {@code max-change} would otherwise be
 * ignored, and the feed run without the guard its operator asked for. The valid names are those of the settings
 * records ({@link MemberSyncProperties} and what it holds), so the check follows them as they grow.
 *
 * <p>Environment variables are a namespace shared with everything else in a pod, so only those that name one of
 * member-sync's groups ({@code MEMBER_SYNC_VENDORS_...}, {@code _FEEDS_}, {@code _SOURCE_}) or look like a misspelt
 * top-level setting are checked.
 */
public final class SettingsCheck {

    static final String PREFIX = "member-sync";
    private static final List<String> ENV_PREFIXES = List.of("MEMBER_SYNC_", "MEMBERSYNC_");

    /** What may stand at one place in a setting's name. */
    private sealed interface Node {
        /** A value: nothing may follow. */
        record Leaf() implements Node {}

        /** Named members, as a record's components; {@code names} in kebab case. */
        record Group(Map<String, Node> members) implements Node {}

        /** A map's keys, any of them, each holding {@code value}. */
        record Keyed(Node value) implements Node {}
    }

    /** A name's elements, the one at {@code at} nothing reads, and the names valid in its place. */
    private record Unknown(List<String> known, int at, Collection<String> valid) {}

    private final Node root;

    /** Any name may follow {@code member-sync.vendors.} (an account) and {@code member-sync.feeds.} (a feed). */
    public SettingsCheck() {
        this.root = shape(MemberSyncProperties.class);
    }

    /** @throws ConfigurationProblem for the first setting nothing reads, naming it and the closest valid one */
    public void check(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                if (variables) {
                    checkVariable(name);
                } else {
                    checkProperty(name);
                }
            }
        }
    }

    private void checkProperty(String written) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(written, '.');
        if (name.getNumberOfElements() < 2 || !name.getElement(0, Form.UNIFORM).equals("membersync")) {
            return;
        }
        List<String> elements = new ArrayList<>();
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            elements.add(name.getElement(i, Form.ORIGINAL));
        }
        find(root, elements, 0).ifPresent(unknown -> {
            throw new ConfigurationProblem(written, "unknown setting " + written + suggestion(unknown, false));
        });
    }

    /**
     * {@code MEMBER_SYNC_FEEDS_HANG_MEMBERS_MAX_CHANGES}: an underscore stands for a dot, a dash or nothing, so the
     * variable is valid when one of its readings is.
     */
    private void checkVariable(String variable) {
        String upper = variable.toUpperCase(Locale.ROOT);
        String rest = ENV_PREFIXES.stream().filter(upper::startsWith).findFirst()
                .map(prefix -> upper.substring(prefix.length())).orElse(null);
        if (rest == null || rest.isEmpty()) {
            return;
        }
        String[] tokens = rest.split("_");
        Node.Group top = (Node.Group) root;
        boolean ours = top.members().keySet().stream().anyMatch(member -> member.toUpperCase(Locale.ROOT).equals(tokens[0]))
                || top.members().keySet().stream()
                        .anyMatch(member -> distance(envForm(member), rest) <= 2 && !(top.members().get(member) instanceof Node.Keyed));
        if (!ours) {
            return;
        }
        Unknown closest = null;
        for (List<String> reading : readings(tokens)) {
            Optional<Unknown> unknown = find(root, reading, 0);
            if (unknown.isEmpty()) {
                return;
            }
            // the reading that got furthest, and there the one nearest a valid name
            if (closest == null || unknown.get().at() > closest.at()
                    || unknown.get().at() == closest.at() && nearness(unknown.get()) < nearness(closest)) {
                closest = unknown.get();
            }
        }
        throw new ConfigurationProblem(variable, "unknown setting " + variable + " (an environment variable)"
                + suggestion(closest, true));
    }

    private static int nearness(Unknown unknown) {
        if (unknown.at() == unknown.known().size()) {
            return Integer.MAX_VALUE;
        }
        return nearest(unknown).map(valid -> distance(valid, unknown.known().get(unknown.at()))).orElse(Integer.MAX_VALUE);
    }

    private static Optional<String> nearest(Unknown unknown) {
        String wrong = unknown.known().get(unknown.at());
        return unknown.valid().stream().min((a, b) -> Integer.compare(distance(a, wrong), distance(b, wrong)));
    }

    /** Every way of reading the tokens as names: each underscore a dot, a dash or nothing. */
    private static List<List<String>> readings(String[] tokens) {
        List<List<String>> readings = new ArrayList<>();
        if (tokens.length > 10) {
            // 3^9 readings is plenty; longer names are read one token per element
            return List.of(Arrays.stream(tokens).map(token -> token.toLowerCase(Locale.ROOT)).toList());
        }
        collect(tokens, 1, new ArrayList<>(List.of(tokens[0].toLowerCase(Locale.ROOT))), readings);
        return readings;
    }

    private static void collect(String[] tokens, int next, List<String> elements, List<List<String>> into) {
        if (next == tokens.length) {
            into.add(List.copyOf(elements));
            return;
        }
        String token = tokens[next].toLowerCase(Locale.ROOT);
        String last = elements.getLast();
        for (String joint : new String[] {"-", ""}) {
            elements.set(elements.size() - 1, last + joint + token);
            collect(tokens, next + 1, elements, into);
        }
        elements.set(elements.size() - 1, last);
        elements.add(token);
        collect(tokens, next + 1, elements, into);
        elements.removeLast();
    }

    /** The first element of {@code elements} from {@code at} on that nothing reads, if there is one. */
    private static Optional<Unknown> find(Node node, List<String> elements, int at) {
        if (at == elements.size()) {
            // a group's name with no setting under it
            return switch (node) {
                case Node.Leaf leaf -> Optional.empty();
                case Node.Group group -> Optional.of(new Unknown(elements, at, group.members().keySet()));
                case Node.Keyed keyed -> Optional.of(new Unknown(elements, at, List.of("<name>")));
            };
        }
        return switch (node) {
            case Node.Leaf leaf -> Optional.of(new Unknown(elements, at, List.of()));
            case Node.Group group -> group.members().entrySet().stream()
                    .filter(member -> uniform(member.getKey()).equals(uniform(elements.get(at)))).findFirst()
                    .map(member -> find(member.getValue(), elements, at + 1))
                    .orElseGet(() -> Optional.of(new Unknown(elements, at, group.members().keySet())));
            case Node.Keyed keyed -> find(keyed.value(), elements, at + 1);
        };
    }

    /**
     * {@code ; did you mean max-changes?} (for a variable, the whole corrected variable), or the names valid there
     * when none is close.
     */
    private static String suggestion(Unknown unknown, boolean asVariable) {
        if (unknown.at() == unknown.known().size()) {
            return "; a setting goes under it: " + String.join(", ", asVariable
                    ? unknown.valid().stream().map(SettingsCheck::envForm).toList() : unknown.valid());
        }
        String wrong = unknown.known().get(unknown.at());
        if (unknown.valid().isEmpty()) {
            return "; " + PREFIX + "." + String.join(".", unknown.known().subList(0, unknown.at()))
                    + " takes no further names";
        }
        if (!asVariable) {
            return didYouMean(wrong, unknown.valid());
        }
        String nearest = nearest(unknown).orElseThrow();
        if (close(nearest, wrong)) {
            List<String> corrected = new ArrayList<>(unknown.known());
            corrected.set(unknown.at(), nearest);
            return "; did you mean " + envForm(PREFIX + "_" + String.join("_", corrected)) + "?";
        }
        return "; valid here: " + String.join(", ", unknown.valid().stream().map(SettingsCheck::envForm).toList());
    }

    /** {@code ; did you mean max-changes?}, or the valid names when none is close to {@code wrong}. */
    public static String didYouMean(String wrong, Collection<String> valid) {
        return closest(wrong, valid).map(name -> "; did you mean " + name + "?")
                .orElseGet(() -> "; valid here: " + String.join(", ", valid));
    }

    /** The valid name {@code wrong} is most likely a misspelling of, if one is close enough. */
    public static Optional<String> closest(String wrong, Collection<String> valid) {
        return valid.stream().min((a, b) -> Integer.compare(distance(a, wrong), distance(b, wrong)))
                .filter(name -> close(name, wrong));
    }

    private static boolean close(String valid, String wrong) {
        return distance(valid, wrong) <= Math.max(2, wrong.length() / 3);
    }

    /** The record's components as kebab-case names; maps of records, and maps of text (free keys). */
    private static Node shape(Class<?> type) {
        Map<String, Node> members = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            members.put(kebab(component.getName()), node(component.getGenericType()));
        }
        return new Node.Group(members);
    }

    private static Node node(Type type) {
        if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
            Type value = map.getActualTypeArguments()[1];
            return new Node.Keyed(value instanceof Class<?> c && c.isRecord() ? shape(c) : new Node.Leaf());
        }
        return type instanceof Class<?> c && c.isRecord() ? shape(c) : new Node.Leaf();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Boot's uniform form: lower case, without dashes, so {@code maxChanges} and {@code max-changes} agree. */
    private static String uniform(String element) {
        return element.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String envForm(String kebab) {
        return kebab.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
