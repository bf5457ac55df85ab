package com.membersync.cli;

import com.membersync.channel.ChannelStats;
import com.membersync.feed.FeedReport;
import com.membersync.job.SyncRunner;
import com.membersync.observability.PersonalData;
import com.membersync.verify.VerifyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The summary of a run or a verify as JSON ({@code --report FILE}); the schema is documented in the README. */
final class RunReport {

    static final int SCHEMA_VERSION = 1;

    private RunReport() {}

    static ObjectNode toJson(SyncRunner.RunResult result, Instant startedAt, Instant finishedAt, JsonMapper json) {
        ObjectNode root = header(json, result.runId(), startedAt, finishedAt, result.exitCode());
        result.shard().ifPresent(shard -> root.putObject("shard").put("index", shard.index()).put("count", shard.count()));
        var feeds = root.putArray("feeds");
        for (FeedReport f : result.feeds()) {
            ObjectNode feed = feeds.addObject();
            feed.put("feed", f.feed());
            feed.put("account", f.account());
            feed.put("vendor", f.vendor());
            feed.put("outcome", f.outcome().name());
            feed.put("exitCode", f.outcome().exitCode());
            feed.put("read", f.read());
            feed.put("unchanged", f.unchanged());
            feed.put("planned", f.planned());
            feed.put("synced", f.synced());
            feed.put("rejected", f.rejected());
            feed.put("refused", f.refused());
            feed.put("failed", f.failed());
            feed.put("pending", f.pending());
            feed.put("absent", f.absent());
            feed.put("deactivated", f.deactivated());
            feed.put("drift", f.drift());
            feed.put("durationMs", f.duration().toMillis());
            message(feed, f.message());
        }
        accounts(root, result.accounts());
        return root;
    }

    /** {@code verify --report FILE}: per feed what was checked, found and repaired. */
    static ObjectNode toJson(VerifyReport.Result result, Instant startedAt, Instant finishedAt, JsonMapper json) {
        ObjectNode root = header(json, result.runId(), startedAt, finishedAt, result.exitCode());
        root.put("command", "verify");
        var feeds = root.putArray("feeds");
        for (VerifyReport f : result.feeds()) {
            ObjectNode feed = feeds.addObject();
            feed.put("feed", f.feed());
            feed.put("account", f.account());
            feed.put("vendor", f.vendor());
            feed.put("outcome", f.outcome().name());
            feed.put("exitCode", f.outcome().exitCode());
            feed.put("checked", f.checked());
            feed.put("inStep", f.inStep());
            feed.put("drifted", f.drifted());
            feed.put("drift", f.driftedFields());
            feed.put("notFound", f.notFound());
            feed.put("repaired", f.repaired());
            var notVerifiable = feed.putArray("notVerifiable");
            f.notVerifiable().stream().sorted().forEach(notVerifiable::add);
            feed.put("durationMs", f.duration().toMillis());
            message(feed, f.message());
        }
        accounts(root, result.accounts());
        return root;
    }

    private static ObjectNode header(JsonMapper json, long runId, Instant startedAt, Instant finishedAt, int exitCode) {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("runId", runId);
        root.put("startedAt", startedAt.toString());
        root.put("finishedAt", finishedAt.toString());
        root.put("exitCode", exitCode);
        return root;
    }

    private static void message(ObjectNode feed, String message) {
        if (message != null) {
            feed.put("message", PersonalData.mask(message));
        }
    }

    /**
     * What each account's channel did ({@code accounts}, with its vendor and rate-limit group), and the same summed
     * per vendor ({@code vendors}), as reports had it before there were accounts.
     */
    private static void accounts(ObjectNode root, Map<String, ChannelStats> stats) {
        ObjectNode accounts = root.putObject("accounts");
        Map<String, ObjectNode> vendors = new TreeMap<>();
        for (Map.Entry<String, ChannelStats> a : stats.entrySet()) {
            ChannelStats s = a.getValue();
            ObjectNode account = accounts.putObject(a.getKey())
                    .put("vendor", s.vendor())
                    .put("rateLimitGroup", s.group().name())
                    .put("rateLimit", s.group().pace().toString());
            ObjectNode vendor = vendors.computeIfAbsent(s.vendor(), v -> root.objectNode());
            counts(s).forEach((name, count) -> {
                account.put(name, count);
                vendor.put(name, vendor.path(name).asLong(0) + count);
            });
        }
        root.putObject("vendors").setAll(vendors);
    }

    private static Map<String, Long> counts(ChannelStats s) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("requests", s.requests());
        counts.put("tooManyRequests", s.tooManyRequests());
        counts.put("retries", s.retries());
        counts.put("serverErrors", s.serverErrors());
        counts.put("connectionErrors", s.connectionErrors());
        counts.put("foreignAnswers", s.foreignAnswers());
        return counts;
    }

    static void write(Path file, ObjectNode report, JsonMapper json) throws IOException {
        writeText(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }

    /** Writes a report file (UTF-8), creating its folder when it is not there yet. */
    static void writeText(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
