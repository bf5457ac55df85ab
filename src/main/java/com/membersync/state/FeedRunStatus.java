package com.membersync.state;

/** Where a feed run stands, as {@code status} shows it and {@code feed_run.status} stores it (by name). */
public enum FeedRunStatus {
    /** Started and not ended (or its process died: the next run recovers it). */
    RUNNING,
    /** Ran to the end; rows may have been rejected or refused. */
    COMPLETED,
    /** Ended early (vendor down, credentials refused, state store lost, rows failed); the next run resumes it. */
    FAILED,
    /** Stopped on request (SIGTERM, Ctrl-C); the next run resumes it. */
    STOPPED,
    /** Ended in a state Spring Batch could not record; planned again from the top. */
    UNKNOWN,
    /** Given up for a new run ({@code run --new}, or a state that cannot be resumed). */
    ABANDONED,
    /** Held back by the mass-change guard: nothing sent. */
    GUARDED,
    /** A dry run: nothing sent. */
    DRY_RUN
}
