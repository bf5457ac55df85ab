package com.membersync.feed;

import java.time.Duration;
import java.util.List;

/**
 * How one feed's sync ended. Every row read is counted once: {@code read = unchanged + synced + rejected +
 * refused + failed + pending}, where pending rows are left for the next run (stopped or failed runs only).
 * {@code absent} counts the members synced before and missing from the input, {@code deactivated} those of them
 * deactivated at the vendor; {@code drift} the managed fields found changed at the vendor (by the read before a
 * Decoda PUT).
 */
public record FeedReport(String feed, String vendor, String account, long feedRunId, Outcome outcome, long read, long unchanged,
        long planned, long synced, long rejected, long refused, long failed, long pending, long absent,
        long deactivated, long drift, Duration duration, String message, List<String> preview) {

    /** Why a run stopped when it was asked to (SIGTERM, Ctrl-C), wherever it was. */
    public static final String STOPPED_ON_REQUEST = "stopped on request; the next run resumes it";

    /** The feed's result, ordered from best to worst for the run's exit code. */
    public enum Outcome {
        COMPLETED(0), DRY_RUN(0), COMPLETED_WITH_REJECTIONS(2), GUARDED(3), FAILED(1);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
