package com.membersync.cli;

import com.membersync.feed.FeedReport;
import com.membersync.job.SyncRunner;
import com.membersync.observability.PersonalData;
import java.io.PrintStream;
import java.util.Locale;

/** The table `run` prints at the end: one line per feed, then what to do about anything that went wrong. */
final class RunSummary {

    private RunSummary() {}

    static void print(SyncRunner.RunResult result, PrintStream out) {
        if (result.feeds().isEmpty() && result.shard().isPresent()) {
            out.printf(Locale.ROOT, "shard %s: no feeds (%d shards for fewer feeds): nothing to do%n",
                    result.shard().get(), result.shard().get().count());
            return;
        }
        out.printf(Locale.ROOT, "run %d: exit %d%n", result.runId(), result.exitCode());
        result.shard().ifPresent(shard -> out.printf(Locale.ROOT, "shard %s: feeds %s%n", shard,
                String.join(", ", result.feeds().stream().map(FeedReport::feed).sorted().toList())));
        String format = "%-20s %-16s %-7s %9s %9s %9s %9s %9s %9s %9s %9s %9s%n";
        out.printf(Locale.ROOT, format, "feed", "account", "vendor", "read", "unchanged", "synced", "rejected", "refused",
                "failed", "pending", "absent", "duration");
        long problems = 0;
        for (FeedReport feed : result.feeds()) {
            out.printf(Locale.ROOT, format, feed.feed(), feed.account(), feed.vendor(), feed.read(), feed.unchanged(), feed.synced(),
                    feed.rejected(), feed.refused(), feed.failed(), feed.pending(), feed.absent(),
                    String.format(Locale.ROOT, "%.1fs", feed.duration().toMillis() / 1000.0));
            problems += feed.rejected() + feed.refused() + feed.failed();
        }
        for (FeedReport feed : result.feeds()) {
            if (feed.message() != null) {
                out.printf(Locale.ROOT, "%s: %s%n", feed.feed(), PersonalData.mask(feed.message()));
            }
            if (feed.outcome() == FeedReport.Outcome.DRY_RUN || feed.outcome() == FeedReport.Outcome.GUARDED
                    || !feed.preview().isEmpty()) {
                out.printf(Locale.ROOT, "%s: %d to send, %d unchanged, %d rejected, %d absent%s%n", feed.feed(),
                        feed.planned(), feed.unchanged(), feed.rejected(), feed.absent(),
                        feed.preview().isEmpty() ? "" : "; the first changes:");
                feed.preview().forEach(line -> out.printf(Locale.ROOT, "  %s%n", line));
            }
            if (feed.deactivated() > 0) {
                out.printf(Locale.ROOT, "%s: %d of %d absent members deactivated at %s%n", feed.feed(), feed.deactivated(),
                        feed.absent(), feed.account());
            }
            if (feed.drift() > 0) {
                out.printf(Locale.ROOT, "%s: %d managed fields had been changed at %s since the last sync (drift);"
                        + " the source's values were sent%n", feed.feed(), feed.drift(), feed.account());
            }
        }
        if (problems > 0) {
            out.printf(Locale.ROOT, "%d rows did not sync: `member-sync failures --run %d` lists them with line, field and reason%n",
                    problems, result.runId());
        }
        if (result.feeds().stream().anyMatch(f -> f.pending() > 0)) {
            out.println("Some changes are still pending: run `member-sync run` again to resume.");
        }
    }
}
