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
import com.membersync.state.OutboxRepository;
import com.membersync.state.PendingChange;
import com.membersync.state.RowFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records each delivered change the moment its answer arrives, in one transaction: the outbox row's status, the
 * cached state (after a 2xx only) and, for refusals and failures, the report row. A crash therefore re-sends at
 * most the requests that were in flight.
 */
@Component
class DeliveryRecorder {

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

    /** @return false when the change stays pending (not sent) */
    boolean record(long feedRunId, long runId, String feed, PendingChange pending, DeliveryOutcome outcome) {
        PlannedChange change = pending.change();
        return switch (outcome) {
            case DeliveryOutcome.NotSent notSent -> false;
            case DeliveryOutcome.Synced synced -> {
                inTransaction(feed, tx -> {
                    outbox.finish(change.id(), ChangeStatus.SYNCED, synced.status(), null, synced.drifted().size());
                    // The row's fingerprint marks it in step only when the vendor holds exactly what it asked
                    // for; otherwise the next run diffs it again. A repair sends part of what the row manages, so
                    // it leaves what the row manages as it was recorded. A deactivated member keeps no fingerprint:
                    // if it comes back, its row is diffed and sent.
                    boolean deactivation = pending.kind() == ChangeKind.DEACTIVATE;
                    Long fingerprint = deactivation || Fields.differ(change.desired(), synced.state()) ? null
                            : change.fingerprint();
                    state.save(feed, change.key(), synced.state(), fingerprint,
                            pending.kind() == ChangeKind.SYNC ? change.desired().propertyNames() : null,
                            deactivation ? Activity.DEACTIVATED : Activity.ACTIVE);
                });
                yield true;
            }
            case DeliveryOutcome.Refused refused -> {
                inTransaction(feed, tx -> {
                    outbox.finish(change.id(), ChangeStatus.REFUSED, refused.status(), refused.message(), 0);
                    failures.insert(feedRunId, List.of(new RowFailure(runId, feed, FailureKind.REFUSED, change.line(),
                            change.key(), refused.field(), refused.message(), refused.status(), sent(change), null)));
                });
                yield true;
            }
            case DeliveryOutcome.Failed failed -> {
                inTransaction(feed, tx -> {
                    outbox.finish(change.id(), ChangeStatus.FAILED, failed.status(), failed.answer(), 0);
                    failures.insert(feedRunId, List.of(new RowFailure(runId, feed, FailureKind.FAILED, change.line(),
                            change.key(), null, failed.answer(), failed.status(), sent(change), null)));
                });
                yield true;
            }
        };
    }

    /** One answer's bookkeeping is one transaction, tried again when it met another feed's. */
    private void inTransaction(String feed, Consumer<TransactionStatus> work) {
        retry.run("recording an answer of feed " + feed, () -> transaction.executeWithoutResult(work));
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
