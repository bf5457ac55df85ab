package com.membersync.job;

import com.membersync.channel.VendorChannel;
import com.membersync.delivery.DeliverStep;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.ProgressBar;
import com.membersync.feed.RunOptions;
import com.membersync.plan.PlanSteps;
import com.membersync.state.FeedRunRepository;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds one feed's job: <em>plan</em> (read, validate, diff, store changes in the outbox; chunked and restartable),
 * <em>review</em> (dry run and mass-change guard), then <em>deliver</em> (send the pending changes, recording each
 * answer as it arrives).
 */
@Component
class FeedJobFactory {

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final PlanSteps planSteps;
    private final DeliverStep deliverStep;
    private final FeedRunRepository feedRuns;
    private final Clock clock;
    private final ProgressBar progressBar = ProgressBar.forConsole();

    FeedJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, PlanSteps planSteps,
            DeliverStep deliverStep, FeedRunRepository feedRuns, Clock clock) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.planSteps = planSteps;
        this.deliverStep = deliverStep;
        this.feedRuns = feedRuns;
        this.clock = clock;
    }

    Job build(FeedRunContext context, RunOptions options, VendorChannel channel, BooleanSupplier stopRequested) {
        FeedSpec feed = context.feed();
        Progress progress = new Progress(feed.name(), clock, progressBar);
        Step review = planSteps.review(context, options);
        return new JobBuilder(feed.jobName(options.dryRun()), jobRepository)
                .listener(new JobExecutionListener() {
                    @Override
                    public void beforeJob(JobExecution execution) {
                        context.feedRunId(execution.getJobInstance().getInstanceId());
                        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> feedRuns.begin(
                                context.feedRunId(), context.runId(), feed.name(), feed.vendor().name()));
                    }
                })
                .start(planSteps.plan(context, options, stopRequested, progress))
                .next(review)
                .on(PlanSteps.HELD).end(PlanSteps.HELD)
                .from(review).on("COMPLETED").to(deliverStep.deliver(context, options, channel, stopRequested, progress))
                .end()
                .build();
    }

    /** Clears the live progress bar (on a terminal) before the run's summary is printed. */
    void clearProgress() {
        progressBar.clear();
    }
}
