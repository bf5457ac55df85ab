package com.membersync.job;

import com.membersync.state.FailureKind;
import com.membersync.state.FailureRepository;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.OutboxRepository;
import com.membersync.state.RowFailure;
import com.membersync.vendor.Fields;
import com.membersync.vendor.RowResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import tools.jackson.databind.node.ObjectNode;

/**
 * Diffs a chunk against the cached remote state (one query for the whole chunk) and stores, in the chunk's
 * transaction, the changes to send, the rejected rows and the counts: the plan and its checkpoint commit together.
 */
class PlanWriter implements ItemWriter<RowResult> {

    private final FeedRunContext context;
    private final boolean fullResync;
    private final MemberStateRepository state;
    private final OutboxRepository outbox;
    private final FailureRepository failures;
    private final FeedRunRepository feedRuns;

    PlanWriter(FeedRunContext context, boolean fullResync, MemberStateRepository state, OutboxRepository outbox,
            FailureRepository failures, FeedRunRepository feedRuns) {
        this.context = context;
        this.fullResync = fullResync;
        this.state = state;
        this.outbox = outbox;
        this.failures = failures;
        this.feedRuns = feedRuns;
    }

    @Override
    public void write(Chunk<? extends RowResult> chunk) {
        String feed = context.feed().name();
        List<RowResult.Desired> desired = new ArrayList<>(chunk.size());
        List<RowFailure> rejected = new ArrayList<>();
        for (RowResult result : chunk) {
            switch (result) {
                case RowResult.Desired d -> desired.add(d);
                case RowResult.Rejection r -> rejected.add(new RowFailure(context.runId(), feed, FailureKind.REJECTED,
                        r.line(), r.key(), r.field(), r.reason(), null, r.row(), null));
            }
        }
        Map<String, ObjectNode> cached = fullResync ? Map.of()
                : state.find(feed, desired.stream().map(RowResult.Desired::key).toList());
        List<OutboxRepository.NewChange> changes = new ArrayList<>();
        for (RowResult.Desired d : desired) {
            if (Fields.differ(d.fields(), cached.get(d.key()))) {
                changes.add(new OutboxRepository.NewChange(d.key(), d.line(), d.fields()));
            }
        }
        long feedRunId = context.feedRunId();
        outbox.insert(feedRunId, changes);
        failures.insert(feedRunId, rejected);
        feedRuns.addPlanCounts(feedRunId, chunk.size(), desired.size() - changes.size(), changes.size(), rejected.size());
    }
}
