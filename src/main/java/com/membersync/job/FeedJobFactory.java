package com.membersync.job;

import com.membersync.channel.VendorChannel;
import com.membersync.source.ColumnLayout;
import com.membersync.source.CsvMemberReader;
import com.membersync.source.InputFiles;
import com.membersync.source.MemberRecords;
import com.membersync.source.SourceDatabase;
import com.membersync.state.DeliveryRecorder;
import com.membersync.state.FailureRepository;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.OutboxRepository;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds one feed's job: <em>plan</em> (read, validate, diff, store changes in the outbox; chunked and restartable)
 * then <em>deliver</em> (send the pending changes, recording each answer as it arrives).
 */
@Component
class FeedJobFactory {

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final MemberStateRepository state;
    private final OutboxRepository outbox;
    private final FailureRepository failures;
    private final FeedRunRepository feedRuns;
    private final DeliveryRecorder recorder;
    private final com.membersync.config.MemberSyncProperties properties;
    private final Clock clock;
    private final SourceDatabase sourceDatabase;
    private final ProgressBar progressBar = ProgressBar.forConsole();

    FeedJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            MemberStateRepository state, OutboxRepository outbox, FailureRepository failures,
            FeedRunRepository feedRuns, DeliveryRecorder recorder, com.membersync.config.MemberSyncProperties properties,
            Clock clock, SourceDatabase sourceDatabase) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.state = state;
        this.outbox = outbox;
        this.failures = failures;
        this.feedRuns = feedRuns;
        this.recorder = recorder;
        this.properties = properties;
        this.clock = clock;
        this.sourceDatabase = sourceDatabase;
    }

    Job build(FeedRunContext context, RunOptions options, VendorChannel channel, BooleanSupplier stopRequested) {
        FeedSpec feed = context.feed();
        Progress progress = new Progress(feed.name(), clock, progressBar);
        Step deliver = deliverStep(context, options, channel, stopRequested, progress);
        Step review = new StepBuilder(feed.name() + ".review", jobRepository)
                .tasklet(new ReviewTasklet(context, options, feedRuns, outbox, state), transactionManager)
                .build();
        return new JobBuilder(feed.jobName(options.dryRun()), jobRepository)
                .listener(new JobExecutionListener() {
                    @Override
                    public void beforeJob(JobExecution execution) {
                        context.feedRunId(execution.getJobInstance().getInstanceId());
                        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> feedRuns.begin(
                                context.feedRunId(), context.runId(), feed.name(), feed.vendor().name()));
                    }
                })
                .start(planStep(context, options, stopRequested, progress))
                .next(review)
                .on(ReviewTasklet.HELD).end(ReviewTasklet.HELD)
                .from(review).on("COMPLETED").to(deliver)
                .end()
                .build();
    }

    private Step planStep(FeedRunContext context, RunOptions options, BooleanSupplier stopRequested, Progress progress) {
        FeedSpec feed = context.feed();
        PlanReader reader = new PlanReader(context, feedRuns, records(context), options.fullResync(), state,
                properties.chunkSize(), stopRequested);
        return new StepBuilder(feed.name() + ".plan", jobRepository)
                // One block per transaction: up to chunk-size rows to check (see PlanReader)
                .<PlanReader.Block, PlanProcessor.Block>chunk(1)
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(new PlanProcessor(feed))
                .writer(new PlanWriter(context, options.fullResync(), state, outbox, failures, feedRuns, progress,
                        reader::checkpoint))
                .build();
    }

    /** A feed reads either a CSV file or a query on the source database. */
    private MemberRecords records(FeedRunContext context) {
        FeedSpec feed = context.feed();
        if (feed.properties().csv() == null) { // FeedCatalog made sure it has a query then
            return sourceDatabase.records(feed.name(), feed.properties().query(), feed.properties().columns(),
                    feed.vendor().keyField(), properties.chunkSize(), feed.fingerprint());
        }
        return new CsvMemberReader(feed.name(), feed.properties().csv(), feed.properties().columns(),
                feed.fingerprint(), () -> {
                    outbox.deletePending(context.feedRunId());
                    feedRuns.resetPlan(context.feedRunId());
                });
    }

    /** Clears the live progress bar (on a terminal) before the run's summary is printed. */
    void clearProgress() {
        progressBar.clear();
    }

    /** The input's columns (CSV header or query columns), read before anything is sent. */
    ColumnLayout inputLayout(FeedSpec feed) {
        if (feed.properties().csv() == null) { // FeedCatalog made sure it has a query then
            return sourceDatabase.columns(feed.name(), feed.properties().query(), feed.properties().columns());
        }
        return InputFiles.header(feed.name(), feed.properties().csv(), feed.properties().columns());
    }

    private Step deliverStep(FeedRunContext context, RunOptions options, VendorChannel channel,
            BooleanSupplier stopRequested, Progress progress) {
        FeedSpec feed = context.feed();
        DeliveryTasklet tasklet = new DeliveryTasklet(context, channel, feed.vendor().client(feed.settings(), channel),
                outbox, recorder, stopRequested, progress, options.fullResync());
        // Each answer is recorded in its own transaction as it arrives; the step itself needs none.
        return new StepBuilder(feed.name() + ".deliver", jobRepository)
                .tasklet((contribution, chunkContext) -> {
                    outbox.retryFailed(context.feedRunId());
                    progress.begin(outbox.countByStatus(context.feedRunId()).get(com.membersync.state.ChangeStatus.PENDING));
                    return tasklet.execute(contribution, chunkContext);
                }, new ResourcelessTransactionManager())
                .build();
    }
}
