package com.membersync.verify;

import com.membersync.channel.ChannelStats;
import com.membersync.feed.FeedReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one feed's verify ended: members checked, in step, drifted (with the number of drifted fields), not found at
 * the vendor, and repaired; the managed fields the vendor does not return; the repair's own report, if one ran.
 */
public record VerifyReport(String feed, String vendor, String account, long verifyId, Outcome outcome, long checked, long inStep,
        long drifted, long driftedFields, long notFound, long repaired, Set<String> notVerifiable, Duration duration,
        String message, FeedReport repair) {

    /** The feed's result, ordered from best to worst for the command's exit code. */
    public enum Outcome {
        IN_STEP(0), REPAIRED(0), DRIFT(4), FAILED(1);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** The result of one {@code verify}. */
    public record Result(long runId, List<VerifyReport> feeds, int exitCode,
            Map<String, ChannelStats> accounts) {}
}
