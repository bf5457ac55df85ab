package com.membersync.plan;

import com.membersync.config.OnAbsent;
import com.membersync.connector.Fields;
import com.membersync.connector.VendorDefinition;
import com.membersync.connector.RowResult;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.Progress;
import com.membersync.state.ChangeKind;
import com.membersync.state.FailureKind;
import com.membersync.state.FailureRepository;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.OutboxRepository;
import com.membersync.state.RowFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import tools.jackson.databind.node.ObjectNode;

/**
 * Diffs a chunk against the cached remote state (one query for the whole chunk) and stores, in the chunk's
 * transaction, the changes to send, the rejected rows, the counts and the reader's checkpoint: the plan and its
 * checkpoint commit together.
 */
class PlanWriter implements ItemWriter<PlanProcessor.Block> {

    private static final int DEACTIVATIONS_PER_INSERT = 10_000;

    private final FeedRunContext context;
    private final boolean fullResync;
    private final MemberStateRepository state;
    private final OutboxRepository outbox;
    private final FailureRepository failures;
    private final FeedRunRepository feedRuns;
    private final Progress progress;
    private final Supplier<Map<String, Object>> checkpoint;

    /** @param checkpoint the reader's position after the block being written */
    PlanWriter(FeedRunContext context, boolean fullResync, MemberStateRepository state, OutboxRepository outbox,
            FailureRepository failures, FeedRunRepository feedRuns, Progress progress,
            Supplier<Map<String, Object>> checkpoint) {
        this.checkpoint = checkpoint;
        this.context = context;
        this.fullResync = fullResync;
        this.state = state;
        this.outbox = outbox;
        this.failures = failures;
        this.feedRuns = feedRuns;
        this.progress = progress;
    }

    @Override
    public void write(Chunk<? extends PlanProcessor.Block> chunk) {
        String feed = context.feed().name();
        List<PlanProcessor.Checked> desired = new ArrayList<>();
        List<RowFailure> rejected = new ArrayList<>();
        long read = 0;
        long unchanged = 0;
        for (PlanProcessor.Block block : chunk) {
            read += block.read();
            unchanged += block.unchanged();
            for (PlanProcessor.Checked row : block.rows()) {
                switch (row.result()) {
                    case RowResult.Desired d -> desired.add(row);
                    case RowResult.Rejection r -> rejected.add(new RowFailure(context.runId(), feed, FailureKind.REJECTED,
                            r.line(), r.key(), r.field(), r.reason(), null, r.row(), null));
                }
            }
        }
        List<String> keys = desired.stream().map(row -> row.result().key()).toList();
        Map<String, ObjectNode> cached = fullResync || desired.isEmpty() ? Map.of() : state.find(context.feed().scope(), keys);
        Set<String> deactivated = desired.isEmpty() ? Set.of() : state.deactivated(context.feed().scope(), keys);
        List<OutboxRepository.NewChange> changes = new ArrayList<>();
        Map<String, Long> inStep = new HashMap<>();
        for (PlanProcessor.Checked row : desired) {
            var d = (RowResult.Desired) row.result();
            if (deactivated.contains(d.key())) {
                // back in the input after it was deactivated: synced again from its row, and made active
                changes.add(new OutboxRepository.NewChange(d.key(), d.line(),
                        context.feed().vendor().reactivation(d.fields()), row.fingerprint()));
            } else if (fullResync || Fields.differ(d.fields(), cached.get(d.key()))) {
                changes.add(new OutboxRepository.NewChange(d.key(), d.line(), d.fields(), row.fingerprint()));
            } else {
                // Unchanged, but its fingerprint was unknown or stale (a first run, a new normalisation version):
                // remember it, so the next run knows without the diff.
                inStep.put(d.key(), row.fingerprint());
            }
        }
        long feedRunId = context.feedRunId();
        outbox.insert(feedRunId, changes);
        failures.insert(feedRunId, rejected);
        state.saveFingerprints(context.feed().scope(), inStep);
        long absent = 0;
        for (PlanProcessor.Block block : chunk) {
            if (block.absent() != null) {
                absent += block.absent().count();
                planAbsent(feedRunId, block.absent());
            }
        }
        feedRuns.addPlanCounts(feedRunId, read, unchanged + inStep.size(), changes.size(), rejected.size(), absent,
                checkpoint.get());
        progress.planned(read);
    }

    /**
     * The absent members: deactivations to send, when the feed says {@code on-absent: deactivate}, and the first
     * few of them for a preview. Streamed from the state store, so that a truncated export of a million members is
     * planned (and then held back by the mass-change guard) in bounded memory.
     */
    private void planAbsent(long feedRunId, PlanReader.Absent absent) {
        boolean deactivate = context.feed().properties().onAbsent() == OnAbsent.DEACTIVATE;
        if (absent.count() == 0 || !(deactivate || context.dryRun())) {
            return; // counted; nothing to send and nobody to list
        }
        VendorDefinition vendor = context.feed().vendor();
        List<OutboxRepository.NewChange> deactivations = new ArrayList<>();
        List<FeedRunContext.Absentee> preview = new ArrayList<>();
        state.forEachActive(context.feed().scope(), absent.member(), member -> {
            if (preview.size() < ReviewTasklet.PREVIEW) {
                preview.add(new FeedRunContext.Absentee(member.key(), member.syncedAt()));
            }
            if (deactivate) {
                deactivations.add(new OutboxRepository.NewChange(member.key(), 0,
                        vendor.deactivation(member.fields()).orElseThrow(), 0, ChangeKind.DEACTIVATE));
                if (deactivations.size() == DEACTIVATIONS_PER_INSERT) {
                    outbox.insert(feedRunId, deactivations);
                    deactivations.clear();
                }
            }
        });
        outbox.insert(feedRunId, deactivations);
        context.absentees(preview);
    }
}
