package com.membersync.job;

import com.membersync.config.ConfigurationProblem;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.observability.Causes;
import com.membersync.source.SourceDatabase.SourceUnavailable;
import com.membersync.state.ChangeStatus;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.FeedRunStatus;
import com.membersync.state.OutboxRepository;
import com.membersync.state.StateStoreFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

/**
 * Works out how a feed's job ended, in one place: its outcome (and so its exit code), the counts of every row read,
 * the message that says why it did not complete, and the status the feed run is stored with.
 */
@Component
class FeedOutcomes {

    private final FeedRunRepository feedRuns;
    private final OutboxRepository outbox;

    FeedOutcomes(FeedRunRepository feedRuns, OutboxRepository outbox) {
        this.feedRuns = feedRuns;
        this.outbox = outbox;
    }

    /** Records the feed run's end and reports it. */
    FeedReport report(FeedSpec feed, FeedRunContext context, JobExecution execution, Duration duration) {
        long feedRunId = execution.getJobInstance().getInstanceId();
        // None when the job failed before it could record the feed run (the state store out of reach): nothing read.
        FeedRun run = feedRuns.find(feedRunId).orElseGet(() -> new FeedRun(feedRunId, context.runId(), FeedRunKind.SYNC,
                feed.name(), feed.vendor().name(), feed.account(), FeedRunStatus.FAILED, null, null, 0, 0, 0, 0, 0, null));
        OutboxRepository.Counts counts = outbox.counts(feedRunId);
        Map<ChangeStatus, Long> changes = counts.rows();
        Map<ChangeStatus, Long> deactivations = counts.deactivations();
        long synced = changes.get(ChangeStatus.SYNCED);
        long refused = changes.get(ChangeStatus.REFUSED);
        long failed = changes.get(ChangeStatus.FAILED);
        long pending = changes.get(ChangeStatus.PENDING);
        // A deactivation the vendor refused or that failed ends the feed as a refused or failed row would.
        long notDeactivated = deactivations.get(ChangeStatus.REFUSED) + deactivations.get(ChangeStatus.FAILED);
        String message = null;
        FeedReport.Outcome outcome;
        FeedRunStatus status;
        FeedRunContext.Review review = context.review();
        if (review != null) {
            boolean guarded = review.stoppedBecause() != null;
            outcome = guarded ? FeedReport.Outcome.GUARDED
                    : run.rejected() > 0 ? FeedReport.Outcome.COMPLETED_WITH_REJECTIONS : FeedReport.Outcome.DRY_RUN;
            message = !guarded ? "dry run: nothing was sent"
                    : (context.dryRun() ? "the mass-change guard would stop this feed: " : "") + review.stoppedBecause();
            status = guarded ? FeedRunStatus.GUARDED : FeedRunStatus.DRY_RUN;
            pending = 0;
        } else if (execution.getStatus() == BatchStatus.COMPLETED && failed + deactivations.get(ChangeStatus.FAILED) == 0) {
            outcome = run.rejected() + refused + notDeactivated > 0 ? FeedReport.Outcome.COMPLETED_WITH_REJECTIONS
                    : FeedReport.Outcome.COMPLETED;
            status = FeedRunStatus.COMPLETED;
        } else {
            outcome = FeedReport.Outcome.FAILED;
            message = failureMessage(execution, failed + deactivations.get(ChangeStatus.FAILED));
            status = status(execution.getStatus());
        }
        if (notDeactivated > 0 && message == null) {
            message = notDeactivated + " absent members were not deactivated; `failures` lists them";
        }
        feedRuns.end(feedRunId, status, message);
        return new FeedReport(feed.name(), feed.vendor().name(), feed.account(), feedRunId, outcome, run.read(),
                run.unchanged(), run.planned(), synced, run.rejected(), refused, failed, pending, run.absent(),
                review == null ? deactivations.get(ChangeStatus.SYNCED) : 0, counts.drift(), duration, message,
                review == null ? List.of() : review.preview());
    }

    /** How a job's end is stored: Spring Batch's status of it, mapped once. */
    private static FeedRunStatus status(BatchStatus batch) {
        return switch (batch) {
            case COMPLETED -> FeedRunStatus.COMPLETED;
            case STOPPED, STOPPING -> FeedRunStatus.STOPPED;
            case ABANDONED -> FeedRunStatus.ABANDONED;
            case UNKNOWN -> FeedRunStatus.UNKNOWN;
            case STARTING, STARTED -> FeedRunStatus.RUNNING;
            case FAILED -> FeedRunStatus.FAILED;
        };
    }

    private static String failureMessage(JobExecution execution, long failed) {
        for (Throwable t : execution.getAllFailureExceptions()) {
            if (StateStoreFailure.causes(t)) {
                return StateStoreFailure.message(t); // rather than "JDBC rollback failed"
            }
            // The source database's problem says what to do, Spring Batch's "Unable to process chunk" around it not.
            return Causes.find(t, SourceUnavailable.class).map(Throwable::getMessage)
                    .or(() -> Causes.find(t, ConfigurationProblem.class).map(Throwable::getMessage))
                    .orElseGet(() -> Causes.firstMessage(t));
        }
        if (execution.getStatus() == BatchStatus.STOPPED) {
            return FeedReport.STOPPED_ON_REQUEST;
        }
        return failed + " rows failed after every retry; `failures` lists them, the next run tries them again";
    }
}
