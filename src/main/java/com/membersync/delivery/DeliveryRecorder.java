package com.membersync.delivery;

import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.Fields;
import com.membersync.connector.PlannedChange;
import com.membersync.state.ChangeKind;
import com.membersync.state.ChangeStatus;
import com.membersync.state.ConflictRetry;
import com.membersync.state.FailureKind;
import com.membersync.state.FailureRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.MemberStateRepository.Activity;
import com.membersync.state.MemberStateRepository.Confirmed;
import com.membersync.state.OutboxRepository;
import com.membersync.state.OutboxRepository.Finished;
import com.membersync.state.PendingChange;
import com.membersync.state.RowFailure;
import com.membersync.state.StateScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records the answers of a delivery: the outbox row's status, the cached state (after a 2xx only) and, for refusals
 * and failures, the report row. Answers are committed together, every answer that arrived while the previous commit
 * ran going into the next (a group commit: one transaction for many answers, not one each), and the request that got
 * an answer waits for its commit before it frees its place among those in flight. So at most {@code max-concurrency}
 * answers are ever uncommitted, and a crash re-sends at most the requests that were in flight.
 */
@Component
class DeliveryRecorder {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);
    /** Answers in one transaction at the most. */
    private static final int MAX_BATCH = 1_000;

    private final TransactionTemplate transaction;
    private final OutboxRepository outbox;
    private final MemberStateRepository state;
    private final FailureRepository failures;
    private final ConflictRetry retry;

    DeliveryRecorder(TransactionTemplate transaction, OutboxRepository outbox, MemberStateRepository state,
            FailureRepository failures, ConflictRetry retry) {
        this.retry = retry;
        this.transaction = transaction;
        this.outbox = outbox;
        this.state = state;
        this.failures = failures;
    }

    /** Records the answers of one feed run's delivery until closed. */
    Session session(long feedRunId, long runId, StateScope scope) {
        return new Session(feedRunId, runId, scope);
    }

    /** One answer waiting for its commit. */
    private record Answer(PendingChange pending, DeliveryOutcome outcome, CompletableFuture<Void> committed) {}

    /** The answers of one delivery, committed by a thread of their own. */
    final class Session implements AutoCloseable {

        private static final Answer END = new Answer(null, null, null);

        private final long feedRunId;
        private final long runId;
        private final StateScope scope;
        private final String feed;
        private final BlockingQueue<Answer> queue = new LinkedBlockingQueue<>();
        private final Thread writer;
        private long commits;
        private long answers;
        private long committing;

        private Session(long feedRunId, long runId, StateScope scope) {
            this.feedRunId = feedRunId;
            this.runId = runId;
            this.scope = scope;
            this.feed = scope.feed();
            this.writer = Thread.ofVirtual().name("recorder-" + feed).start(this::write);
        }

        /**
         * Records an answer, returning once it is committed.
         *
         * @return false when the change stays pending (not sent)
         */
        boolean record(PendingChange pending, DeliveryOutcome outcome) throws InterruptedException {
            if (outcome instanceof DeliveryOutcome.NotSent) {
                return false;
            }
            Answer answer = new Answer(pending, outcome, new CompletableFuture<>());
            queue.put(answer);
            try {
                answer.committed().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failed ? failed : new IllegalStateException(e.getCause());
            }
            return true;
        }

        private void write() {
            List<Answer> batch = new ArrayList<>();
            boolean ending = false;
            while (!ending) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                ending = batch.remove(END);
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    long started = System.nanoTime();
                    retry.run("recording answers of feed " + feed, () -> transaction.executeWithoutResult(tx -> commit(batch)));
                    commits++;
                    answers += batch.size();
                    committing += System.nanoTime() - started;
                    batch.forEach(answer -> answer.committed().complete(null));
                } catch (RuntimeException e) {
                    batch.forEach(answer -> answer.committed().completeExceptionally(e));
                }
                batch.clear();
            }
        }

        /** What the answers leave in the state store, in batched statements. */
        private void commit(List<Answer> answers) {
            List<Finished> finished = new ArrayList<>(answers.size());
            List<Confirmed> confirmed = new ArrayList<>(answers.size());
            List<RowFailure> notSynced = new ArrayList<>();
            for (Answer answer : answers) {
                PlannedChange change = answer.pending().change();
                switch (answer.outcome()) {
                    case DeliveryOutcome.Synced synced -> {
                        finished.add(new Finished(change.id(), ChangeStatus.SYNCED, synced.status(), null,
                                synced.drifted().size()));
                        confirmed.add(confirmed(answer.pending(), synced));
                    }
                    case DeliveryOutcome.Refused refused -> {
                        finished.add(new Finished(change.id(), ChangeStatus.REFUSED, refused.status(), refused.message(), 0));
                        notSynced.add(new RowFailure(runId, feed, FailureKind.REFUSED, change.line(), change.key(),
                                refused.field(), refused.message(), refused.status(), sent(change), null));
                    }
                    case DeliveryOutcome.Failed failed -> {
                        finished.add(new Finished(change.id(), ChangeStatus.FAILED, failed.status(), failed.answer(), 0));
                        notSynced.add(new RowFailure(runId, feed, FailureKind.FAILED, change.line(), change.key(), null,
                                failed.answer(), failed.status(), sent(change), null));
                    }
                    case DeliveryOutcome.NotSent notSent -> throw new IllegalStateException("not sent: nothing to record");
                }
            }
            outbox.finish(finished);
            state.save(scope, confirmed);
            failures.insert(feedRunId, notSynced);
        }

        /** Waits for every answer recorded so far to be committed, then ends the writer. */
        @Override
        public void close() throws InterruptedException {
            queue.put(END);
            writer.join();
            log.debug("{}: {} answers recorded in {} commits, {} ms committing", feed, answers, commits,
                    committing / 1_000_000);
        }
    }

    /**
     * The member's state after a confirmed write. Its row's fingerprint marks it in step only when the vendor holds
     * exactly what it asked for; otherwise the next run diffs it again. A repair sends part of what the row manages,
     * so it leaves what the row manages as it was recorded. A deactivated member keeps no fingerprint: if it comes
     * back, its row is diffed and sent.
     */
    private static Confirmed confirmed(PendingChange pending, DeliveryOutcome.Synced synced) {
        PlannedChange change = pending.change();
        boolean deactivation = pending.kind() == ChangeKind.DEACTIVATE;
        Long fingerprint = deactivation || Fields.differ(change.desired(), synced.state()) ? null : change.fingerprint();
        return new Confirmed(change.key(), synced.state(), fingerprint,
                pending.kind() == ChangeKind.SYNC ? change.desired().propertyNames() : null,
                deactivation ? Activity.DEACTIVATED : Activity.ACTIVE);
    }

    /** The row as the feed wanted it, named as the input columns, so `failures --output` can be fed back. */
    private static Map<String, String> sent(PlannedChange change) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String field : change.desired().propertyNames()) {
            var value = change.desired().get(field);
            row.put(field, value.isString() ? value.stringValue() : value.toString());
        }
        return row;
    }
}
