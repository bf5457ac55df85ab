package com.membersync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A command run with {@code --report FILE}, and what the report says: tests read counts from the JSON report, which
 * keeps its field names, rather than from the console table, whose columns move.
 */
public record ReportedRun(CliRun run, JsonNode report) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Runs {@code command} with {@code --report} to a file in {@code folder}, and reads the report (a missing node when
     * the command wrote none, e.g. after a configuration error).
     */
    public static ReportedRun of(Path folder, Map<String, Object> settings, String... command) {
        try {
            Path file = Files.createTempFile(folder, "report-", ".json");
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--report", file.toString()));
            CliRun run = CliRun.of(args, settings);
            String text = Files.readString(file);
            return new ReportedRun(run, text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int exitCode() {
        return run.exitCode();
    }

    public String out() {
        return run.out();
    }

    public String err() {
        return run.err();
    }

    /** Reads a report a command wrote (a process started with {@code --report FILE}). */
    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A feed's counts in one line, in the order of the console table: {@code read=3 unchanged=0 synced=3 rejected=0
     * refused=0 failed=0 pending=0 absent=0}; for a verify {@code checked=10 inStep=9 drifted=1 notFound=0 repaired=0}.
     * Tests compare it whole, or its start.
     */
    public String counts(String feed) {
        return counts(report, feed);
    }

    /** {@link #counts(String)} of a report read from a file. */
    public static String counts(JsonNode report, String feed) {
        List<String> fields = report.path("command").asString("").equals("verify")
                ? List.of("checked", "inStep", "drifted", "notFound", "repaired")
                : List.of("read", "unchanged", "synced", "rejected", "refused", "failed", "pending", "absent");
        JsonNode entry = feed(report, feed);
        return String.join(" ", fields.stream().map(f -> {
            assertThat(entry.get(f)).as("%s has no %s: %s", feed, f, report).isNotNull();
            return f + "=" + entry.get(f).asLong();
        }).toList());
    }

    /** The report's entry of {@code feed}. */
    public JsonNode feed(String feed) {
        return feed(report, feed);
    }

    private static JsonNode feed(JsonNode report, String feed) {
        for (JsonNode entry : report.path("feeds")) {
            if (entry.path("feed").asString().equals(feed)) {
                return entry;
            }
        }
        throw new AssertionError("no feed " + feed + " in the report: " + report);
    }

    /** A count of {@code feed}'s entry, e.g. {@code count("members", "synced")}. */
    public long count(String feed, String field) {
        JsonNode value = feed(feed).get(field);
        assertThat(value).as("%s has no %s: %s", feed, field, report).isNotNull();
        return value.asLong();
    }

    /** Everything the command printed, for assertion messages. */
    public String output() {
        return run.out() + run.err();
    }
}
