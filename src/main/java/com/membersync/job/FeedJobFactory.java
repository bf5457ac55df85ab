package com.membersync.job;

import com.membersync.channel.VendorChannel;
import com.membersync.delivery.DeliverStep;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.RunOptions;
import com.membersync.plan.PlanSteps;
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository;
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

    FeedJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, PlanSteps planSteps,
            DeliverStep deliverStep, FeedRunRepository feedRuns) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.planSteps = planSteps;
        this.deliverStep = deliverStep;
        this.feedRuns = feedRuns;
    }

    Job build(FeedRunContext context, RunOptions options, VendorChannel channel, BooleanSupplier stopRequested,
            Progress progress) {
        FeedSpec feed = context.feed();
        Step review = planSteps.review(context, options);
        return new JobBuilder(feed.jobName(options.dryRun()), jobRepository)
                .listener(new JobExecutionListener() {
                    @Override
                    public void beforeJob(JobExecution execution) {
                        context.feedRunId(execution.getJobInstance().getInstanceId());
                        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> feedRuns.begin(
                                context.feedRunId(), context.runId(), feed.name(), feed.vendor().name(), feed.account(),
                                FeedRunKind.SYNC));
                    }
                })
                .start(planSteps.plan(context, options, stopRequested, progress))
                .next(review)
                .on(PlanSteps.HELD).end(PlanSteps.HELD)
                .from(review).on("COMPLETED").to(deliverStep.deliver(context, options, channel, stopRequested, progress))
                .end()
                .build();
    }
}
