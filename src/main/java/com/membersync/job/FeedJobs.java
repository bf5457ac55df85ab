package com.membersync.job;

import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.RunOptions;
import com.membersync.observability.Causes;
import com.membersync.state.ConflictRetry;
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one feed's job, a sync or a repair, as a Spring Batch job instance: the interrupted instance resumed from its
 * checkpoint (see {@link RestartRepair}), the feed run recorded when it starts, and its end reported by
 * {@link FeedOutcomes}. When the state store aborts one of its transactions for a conflict with another feed's (see
 * {@link ConflictRetry}), the job is resumed from its last checkpoint, a bounded number of times: every step's work is
 * checkpointed, so resuming repeats none of it.
 */
@Component
public class FeedJobs {

    private static final Logger log = LoggerFactory.getLogger(FeedJobs.class);

    /** What tells a feed's jobs apart: a sync's plan, review and deliver steps; a repair's queue and deliver steps. */
    public interface Steps {

        /** The job's name: its interrupted instance is the one resumed. */
        String jobName();

        FeedRunKind kind();

        /** The job, from {@code job} (whose listener records the feed run) with the steps of this kind of run. */
        Job build(JobBuilder job, FeedRunContext context, RunOptions options);

        /** What else the start of the feed run records, in its transaction. */
        default void started(long feedRunId) {}

        /** The parameters of the job instance to run, new or resumed, with anything this kind of job adds. */
        default JobParameters parameters(JobParameters parameters) {
            return parameters;
        }
    }

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final PlatformTransactionManager transactionManager;
    private final RestartRepair restarts;
    private final FeedOutcomes outcomes;
    private final FeedRunRepository feedRuns;
    private final ConflictRetry retry;
    private final Clock clock;

    FeedJobs(JobRepository jobRepository, JobOperator jobOperator, PlatformTransactionManager transactionManager,
            RestartRepair restarts, FeedOutcomes outcomes, FeedRunRepository feedRuns, ConflictRetry retry, Clock clock) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.transactionManager = transactionManager;
        this.restarts = restarts;
        this.outcomes = outcomes;
        this.feedRuns = feedRuns;
        this.retry = retry;
        this.clock = clock;
    }

    /** Runs the feed's job with {@code steps} in run {@code runId}, and reports how it ended. */
    public FeedReport run(FeedSpec feed, long runId, RunOptions options, Steps steps, BooleanSupplier stopRequested)
            throws Exception {
        Instant started = clock.instant();
        RunOptions attemptOptions = options;
        for (int attempt = 1; ; attempt++) {
            FeedRunContext context = new FeedRunContext(feed, runId, options.dryRun());
            Job job = steps.build(new JobBuilder(steps.jobName(), jobRepository).listener(new JobExecutionListener() {
                @Override
                public void beforeJob(JobExecution execution) {
                    context.feedRunId(execution.getJobInstance().getInstanceId());
                    new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
                        feedRuns.begin(context.feedRunId(), runId, feed.name(), feed.vendor().name(), feed.account(),
                                steps.kind());
                        steps.started(context.feedRunId());
                    });
                }
            }), context, attemptOptions);
            Optional<String> conflict;
            JobExecution execution = null;
            try {
                JobParameters parameters = steps.parameters(restarts.parametersFor(steps.jobName(), feed, runId,
                        attempt, attemptOptions.newRun()));
                execution = jobOperator.start(job, parameters);
                conflict = execution.getStatus().isUnsuccessful() ? execution.getAllFailureExceptions().stream()
                        .map(FeedJobs::conflict).flatMap(Optional::stream).findFirst() : Optional.empty();
            } catch (Exception e) {
                conflict = conflict(e);
                // Without an execution there is nothing to report: only a resume may follow.
                if (conflict.isEmpty() || attempt >= ConflictRetry.MAX_ATTEMPTS || stopRequested.getAsBoolean()) {
                    throw e;
                }
            }
            if (conflict.isPresent() && attempt < ConflictRetry.MAX_ATTEMPTS && !stopRequested.getAsBoolean()) {
                log.warn("{}: the state store aborted a transaction of this feed ({}), as it met another"
                        + " transaction; resuming the feed from its last checkpoint ({} of {})", feed.name(),
                        conflict.get(), attempt + 1, ConflictRetry.MAX_ATTEMPTS);
                attemptOptions = attemptOptions.resumed();
                continue;
            }
            JobExecution ended = execution;
            return retry.call("the report of feed " + feed.name(),
                    () -> outcomes.report(feed, context, ended, Duration.between(started, clock.instant())));
        }
    }

    /** What ended a job when it was a conflict with another feed's transaction, which resuming gets past. */
    private static Optional<String> conflict(Throwable thrown) {
        Optional<String> state = ConflictRetry.transientState(thrown);
        if (state.isPresent()) {
            return state.map(ConflictRetry::describe);
        }
        // Spring Batch's record of a step, out of step with the database after an aborted transaction
        return Causes.find(thrown, OptimisticLockingFailureException.class)
                .map(stale -> "a step's record left behind by an aborted transaction");
    }
}
