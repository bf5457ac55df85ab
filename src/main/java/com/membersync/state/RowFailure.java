package com.membersync.state;

import java.time.Instant;
import java.util.Map;

/** One row that did not sync, as {@code failures} shows it. */
public record RowFailure(long runId, String feed, FailureKind kind, long line, String key, String field, String reason,
        Integer httpStatus, Map<String, String> row, Instant at) {}
