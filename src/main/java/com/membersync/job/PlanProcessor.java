package com.membersync.job;

import com.membersync.source.SourceRow;
import com.membersync.state.MemberStateRepository;
import com.membersync.vendor.RowResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * Checks a block of rows. A row whose fingerprint matches the one its member was last synced from is unchanged
 * and only counted; the others are validated and normalised into the vendor's fields, for the writer to diff
 * against the cached state. A later row with a key seen before is rejected, naming the line of the first
 * occurrence (which is the one that syncs).
 */
class PlanProcessor implements ItemProcessor<List<SourceRow>, PlanProcessor.Block>, ItemStream {

    /** A row that needs the full diff, with the fingerprint to store once its member is in step. */
    record Checked(RowResult result, long fingerprint) {}

    /** What became of a block: rows read, rows known unchanged by fingerprint, and the rest. */
    record Block(int read, int unchanged, List<Checked> rows) {}

    private final FeedSpec feed;
    private final boolean fullResync;
    private final MemberStateRepository state;
    private final BooleanSupplier stopRequested;
    private final RowFingerprint fingerprints;
    /** Per member: the fingerprint of the row it was last synced from, and its first line in this input. */
    private MemberIndex members;

    PlanProcessor(FeedSpec feed, boolean fullResync, MemberStateRepository state, BooleanSupplier stopRequested) {
        this.feed = feed;
        this.fullResync = fullResync;
        this.state = state;
        this.stopRequested = stopRequested;
        this.fingerprints = new RowFingerprint(feed);
    }

    @Override
    public void open(ExecutionContext context) {
        members = new MemberIndex(1 << 16);
        if (!fullResync) { // a full resync sends every valid row, so nothing is known to be unchanged
            state.forEachFingerprint(feed.name(),
                    (key, fingerprint) -> members.fingerprint(members.slot(RowFingerprint.ofKey(key)), fingerprint));
        }
    }

    @Override
    public void close() {
        members = null;
    }

    @Override
    public Block process(List<SourceRow> rows) {
        if (stopRequested.getAsBoolean()) {
            // Rolls back the chunk in progress; the checkpoint stays at the last commit.
            throw new StopRequested();
        }
        String keyField = feed.vendor().keyField();
        List<Checked> checked = new ArrayList<>();
        int unchanged = 0;
        for (SourceRow row : rows) {
            String key = row.value(keyField);
            if (row.defect() != null) {
                checked.add(rejected(new RowResult.Rejection(row.line(), key, null, "the row " + row.defect()), row));
                continue;
            }
            if (key == null) {
                checked.add(rejected(new RowResult.Rejection(row.line(), null, keyField, keyField + " is blank"), row));
                continue;
            }
            // Keys are told apart by a 64-bit hash: two different keys among millions collide with odds of ~1e-8.
            int member = members.slot(RowFingerprint.ofKey(key));
            long first = members.firstLine(member);
            if (first != 0) {
                checked.add(rejected(new RowResult.Rejection(row.line(), key, keyField,
                        "duplicate " + keyField + " '" + key + "': line " + first + " has it already"), row));
                continue;
            }
            members.firstLine(member, row.line());
            long fingerprint = fingerprints.of(row);
            if (fingerprint == members.fingerprint(member)) {
                unchanged++;
                continue;
            }
            RowResult result = feed.vendor().read(row, feed.properties().zone());
            checked.add(result instanceof RowResult.Rejection rejection ? rejected(rejection, row)
                    : new Checked(result, fingerprint));
        }
        return new Block(rows.size(), unchanged, checked);
    }

    private static Checked rejected(RowResult.Rejection rejection, SourceRow row) {
        return new Checked(rejection.withRow(row.asMap()), 0);
    }

    /** The run was asked to stop (SIGTERM, Ctrl-C) while planning. */
    static final class StopRequested extends RuntimeException {
        StopRequested() {
            super("stopped on request; the next run resumes it");
        }
    }
}
