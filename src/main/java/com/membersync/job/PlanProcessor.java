package com.membersync.job;

import com.membersync.source.SourceRow;
import com.membersync.vendor.RowResult;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Validates and normalises a row into the vendor's fields. A later row with a key seen before is rejected,
 * naming the line of the first occurrence (which is the one that syncs).
 */
class PlanProcessor implements ItemProcessor<SourceRow, RowResult> {

    private final FeedSpec feed;
    private final BooleanSupplier stopRequested;
    private final Map<String, Long> firstLineOfKey = new HashMap<>();

    PlanProcessor(FeedSpec feed, BooleanSupplier stopRequested) {
        this.feed = feed;
        this.stopRequested = stopRequested;
    }

    @Override
    public RowResult process(SourceRow row) {
        if (stopRequested.getAsBoolean()) {
            // Rolls back the chunk in progress; the checkpoint stays at the last commit.
            throw new StopRequested();
        }
        String keyField = feed.vendor().keyField();
        String key = row.value(keyField);
        if (row.defect() != null) {
            return new RowResult.Rejection(row.line(), key, null, "the row " + row.defect(), row.asMap());
        }
        if (key == null) {
            return new RowResult.Rejection(row.line(), null, keyField, keyField + " is blank", row.asMap());
        }
        Long first = firstLineOfKey.putIfAbsent(key, row.line());
        if (first != null) {
            return new RowResult.Rejection(row.line(), key, keyField,
                    "duplicate " + keyField + " '" + key + "': line " + first + " has it already", row.asMap());
        }
        RowResult result = feed.vendor().read(row, feed.properties().zone());
        return result instanceof RowResult.Rejection rejection ? rejection.withRow(row.asMap()) : result;
    }

    /** The run was asked to stop (SIGTERM, Ctrl-C) while planning. */
    static final class StopRequested extends RuntimeException {
        StopRequested() {
            super("stopped on request; the next run resumes it");
        }
    }
}
