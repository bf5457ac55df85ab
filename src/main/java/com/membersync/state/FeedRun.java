package com.membersync.state;

import java.time.Instant;

/** One feed's sync as stored: its plan counts and where it stands. Delivery counts come from the outbox. */
public record FeedRun(long feedRunId, long runId, FeedRunKind kind, String feed, String vendor, String account,
        FeedRunStatus status,
        Instant startedAt, Instant finishedAt, long read, long unchanged, long planned, long rejected, long absent,
        String message) {}
