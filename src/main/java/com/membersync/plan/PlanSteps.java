package com.membersync.plan;

import com.membersync.config.MemberSyncProperties;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.RunOptions;
import com.membersync.source.ColumnLayout;
import com.membersync.source.CsvMemberReader;
import com.membersync.source.InputFiles;
import com.membersync.source.MemberRecords;
import com.membersync.source.SourceDatabase;
import com.membersync.state.FailureRepository;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.OutboxRepository;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The first two steps of a feed's job. <em>plan</em>: read the input, validate and diff each row, store the changes
 * to send (the outbox); chunked and restartable. <em>review</em>: hold a plan back that is only a dry run or that the
 * mass-change guard does not trust; the job then ends with exit status {@link #HELD}.
 */
@Component
public class PlanSteps {

    /** The review step's exit status when nothing is to be sent. */
    public static final String HELD = ReviewTasklet.HELD;

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final MemberStateRepository state;
    private final OutboxRepository outbox;
    private final FailureRepository failures;
    private final FeedRunRepository feedRuns;
    private final MemberSyncProperties properties;
    private final SourceDatabase sourceDatabase;
    private final PlanSlots slots;

    PlanSteps(JobRepository jobRepository, PlatformTransactionManager transactionManager, MemberStateRepository state,
            OutboxRepository outbox, FailureRepository failures, FeedRunRepository feedRuns,
            MemberSyncProperties properties, SourceDatabase sourceDatabase, PlanSlots slots) {
        this.slots = slots;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.state = state;
        this.outbox = outbox;
        this.failures = failures;
        this.feedRuns = feedRuns;
        this.properties = properties;
        this.sourceDatabase = sourceDatabase;
    }

    /**
     * Reads the input's columns (the CSV header, or the query's) and checks them before anything is sent: the key
     * column must be there; columns the vendor does not know are ignored with a warning.
     */
    public void checkInput(FeedSpec feed) {
        InputFiles.checkColumns(feed.name(), layout(feed), feed.vendor().name(), feed.vendor().keyField(),
                feed.vendor().fields(), feed.properties().columns());
    }

    /** The vendor's fields the input has columns for: what the feed manages, where a member's row left no record. */
    public List<String> inputFields(FeedSpec feed) {
        ColumnLayout layout = layout(feed);
        return feed.vendor().fields().stream().filter(layout::has).toList();
    }

    /** The input's columns: the CSV header, or the query's. */
    private ColumnLayout layout(FeedSpec feed) {
        return feed.properties().csv() == null // FeedCatalog made sure it has a query then
                ? sourceDatabase.columns(feed.name(), feed.properties().query(), feed.properties().columns())
                : InputFiles.header(feed.name(), feed.properties().csv(), feed.properties().columns());
    }

    public Step plan(FeedRunContext context, RunOptions options, BooleanSupplier stopRequested, Progress progress) {
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
                .listener(slots)
                .build();
    }

    public Step review(FeedRunContext context, RunOptions options) {
        return new StepBuilder(context.feed().name() + ".review", jobRepository)
                .tasklet(new ReviewTasklet(context, options, feedRuns, outbox, state), transactionManager)
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
}
