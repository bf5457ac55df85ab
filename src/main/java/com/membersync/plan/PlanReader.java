package com.membersync.plan;

import com.membersync.connector.RowResult;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.source.MemberRecords;
import com.membersync.source.RowFingerprint;
import com.membersync.source.SourceRow;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the input for the plan step in blocks. A record whose fingerprint is the one its member was last synced
 * from is unchanged: it is counted and never parsed. The others are handed on for the full check, up to chunk-size
 * of them per block; a block also ends after {@link #MAX_READ} records, so a steady-state night of a million
 * unchanged rows commits once or twice instead of a hundred times. A later record with a key seen before is
 * rejected, naming the line of the first occurrence (which is the one that syncs).
 */
final class PlanReader implements ItemStreamReader<PlanReader.Block> {

    private static final Logger log = LoggerFactory.getLogger(PlanReader.class);

    /** Records read per block at the most, however few of them need the full check. */
    static final int MAX_READ = 1 << 20;
    /** How often, in records, a long block looks whether the run was asked to stop. */
    private static final int STOP_CHECK = 1 << 16;

    /** A record for the full check; {@code rejection} when it is known bad already (defective, no key, duplicate). */
    record Candidate(SourceRow row, long fingerprint, RowResult.Rejection rejection) {}

    /** Records read, how many of them are known unchanged, and the rest; or, after the last record, the absent. */
    record Block(int read, int unchanged, List<Candidate> rows, Absent absent) {}

    /**
     * The active members of the state store this input never named, once the whole input was read: how many, and
     * which (a test on a key's UTF-8 bytes, for the writer to stream them rather than hold them all).
     */
    record Absent(long count, BiPredicate<byte[], Integer> member) {}

    /** In the checkpoint: the absent members were counted (and planned) already. */
    static final String ABSENT_DONE = "plan.absent-done";

    private final FeedRunContext run;
    private final FeedSpec feed;
    private final FeedRunRepository feedRuns;
    private final MemberRecords records;
    private final boolean fullResync;
    private final MemberStateRepository state;
    private final int chunkSize;
    private final BooleanSupplier stopRequested;
    /** Per member: the fingerprint of the row it was last synced from, and its first line in this input. */
    private MemberIndex members;
    private boolean absentDone;

    PlanReader(FeedRunContext run, FeedRunRepository feedRuns, MemberRecords records, boolean fullResync,
            MemberStateRepository state, int chunkSize, BooleanSupplier stopRequested) {
        this.run = run;
        this.feed = run.feed();
        this.feedRuns = feedRuns;
        this.records = records;
        this.fullResync = fullResync;
        this.state = state;
        this.chunkSize = chunkSize;
        this.stopRequested = stopRequested;
    }

    @Override
    public void open(ExecutionContext context) {
        long started = System.nanoTime();
        ExecutionContext resumeAt = resumePoint(context);
        absentDone = resumeAt.containsKey(ABSENT_DONE);
        records.open(resumeAt);
        members = new MemberIndex(1 << 16);
        // A full resync sends every valid row, so nothing is known to be unchanged; who is active still counts.
        state.forEachFingerprint(feed.scope(), (key, length, fingerprint, active) -> members.load(
                RowFingerprint.ofKey(key, 0, length), fullResync ? MemberIndex.UNKNOWN : fingerprint, active));
        members.loaded();
        log.debug("{}: {} members' fingerprints loaded in {} ms", feed.name(), members.size(),
                (System.nanoTime() - started) / 1_000_000);
        // Not when planning starts at the top, nor when the whole input was planned: nothing is left to check then.
        if (!resumeAt.isEmpty() && !absentDone) {
            nameEarlierMembers();
        }
    }

    /**
     * A plan resumed from its checkpoint reads the records before it again, without planning them, so that a later
     * record of a member named there is still a duplicate and such a member is not absent.
     */
    private void nameEarlierMembers() {
        MemberRecords earlier = records.earlier();
        long started = System.nanoTime();
        long count = 0;
        earlier.open(new ExecutionContext());
        try {
            while (earlier.next()) {
                long keyHash = earlier.keyHash();
                if (keyHash == RowFingerprint.NO_KEY) {
                    name(earlier.row());
                } else {
                    name(keyHash, earlier.line());
                }
                count++;
            }
        } finally {
            earlier.close();
        }
        if (count > 0) {
            log.info("{}: read the {} records before the checkpoint again to know the members they name, in {} ms",
                    feed.name(), count, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** The input names a member on this line, unless it did on an earlier one. */
    private void name(long keyHash, long line) {
        int member = members.slot(keyHash);
        if (members.firstLine(member) == 0) {
            members.see(member, line);
        }
    }

    /** A record that must be parsed to know its key: a defective row names its member all the same. */
    private void name(SourceRow row) {
        String key = row.value(feed.vendor().keyField());
        if (key != null) {
            name(RowFingerprint.ofKey(key), row.line());
        }
    }

    @Override
    public Block read() {
        long started = System.nanoTime();
        try {
            Block block = readBlock();
            return block != null || absentDone ? block : absent();
        } finally {
            log.debug("{}: block read in {} ms", feed.name(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Block readBlock() {
        List<Candidate> rows = new ArrayList<>();
        int read = 0;
        int unchanged = 0;
        while (rows.size() < chunkSize && read < MAX_READ) {
            if (read % STOP_CHECK == 0 && stopRequested.getAsBoolean()) {
                // Rolls back the block in progress; the checkpoint stays at the last commit.
                throw new StopRequested();
            }
            if (!records.next()) {
                break;
            }
            read++;
            long keyHash = records.keyHash();
            if (keyHash == RowFingerprint.NO_KEY) {
                SourceRow row = records.row();
                name(row); // rejected, not absent
                rows.add(new Candidate(row, 0, unusable(row)));
                continue;
            }
            // Keys are told apart by a 64-bit hash: two different keys among millions collide with odds of ~1e-8.
            int member = members.slot(keyHash);
            long first = members.firstLine(member);
            if (first != 0) {
                rows.add(new Candidate(records.row(), 0, duplicate(records.row(), first)));
                continue;
            }
            if (records.fingerprint() == members.see(member, records.line())) {
                unchanged++;
                continue;
            }
            rows.add(new Candidate(records.row(), records.fingerprint(), null));
        }
        return read == 0 ? null : new Block(read, unchanged, rows, null);
    }

    /** The last block: the absent members, once every record was read. */
    private Block absent() {
        absentDone = true;
        MemberIndex index = members;
        return new Block(0, 0, List.of(), new Absent(index.absent(),
                (key, length) -> index.absent(RowFingerprint.ofKey(key, 0, length))));
    }

    /** A defective row, or one with a blank key. */
    private RowResult.Rejection unusable(SourceRow row) {
        String keyField = feed.vendor().keyField();
        return row.defect() != null
                ? new RowResult.Rejection(row.line(), row.value(keyField), null, "the row " + row.defect())
                : new RowResult.Rejection(row.line(), null, keyField, keyField + " is blank");
    }

    private RowResult.Rejection duplicate(SourceRow row, long firstLine) {
        String keyField = feed.vendor().keyField();
        String key = row.value(keyField);
        return new RowResult.Rejection(row.line(), key, keyField,
                "duplicate " + keyField + " '" + key + "': line " + firstLine + " has it already");
    }

    /**
     * Where to resume: the checkpoint committed with the last planned block. Spring Batch's own copy of the step's
     * context is not trusted for this: when a block's commit fails, it still saves the position the reader had
     * reached, past rows whose plan was rolled back.
     */
    private ExecutionContext resumePoint(ExecutionContext batchContext) {
        long feedRunId = run.feedRunId();
        return feedRuns.planCheckpoint(feedRunId).map(ExecutionContext::new)
                .orElseGet(() -> feedRuns.find(feedRunId).orElseThrow().read() == 0 ? new ExecutionContext()
                        : batchContext); // a plan interrupted before checkpoints were kept here
    }

    /** The reader's position after what it has handed out, for the writer to commit with the block's plan. */
    Map<String, Object> checkpoint() {
        ExecutionContext position = new ExecutionContext();
        records.update(position);
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        position.entrySet().forEach(entry -> checkpoint.put(entry.getKey(), entry.getValue()));
        if (absentDone) {
            checkpoint.put(ABSENT_DONE, 1L);
        }
        return checkpoint;
    }

    @Override
    public void update(ExecutionContext context) {
        records.update(context);
        if (absentDone) {
            context.putLong(ABSENT_DONE, 1L);
        }
    }

    @Override
    public void close() {
        records.close();
        members = null;
    }

    /** The run was asked to stop (SIGTERM, Ctrl-C) while planning. */
    static final class StopRequested extends RuntimeException {
        StopRequested() {
            super(FeedReport.STOPPED_ON_REQUEST);
        }
    }
}
