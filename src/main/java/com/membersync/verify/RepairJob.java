package com.membersync.verify;

import com.membersync.channel.VendorChannel;
import com.membersync.delivery.DeliverStep;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.RunOptions;
import com.membersync.job.FeedOutcomes;
import com.membersync.job.RestartRepair;
import com.membersync.state.ChangeKind;
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.OutboxRepository.NewChange;
import com.membersync.state.OutboxRepository;
import com.membersync.state.VerifyRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code verify --repair}: a job of the feed's own ({@code repair.<feed>}) that queues, for every drifted member, the
 * synced values of its drifted fields (and nothing else, so fields in step are not rewritten) and delivers them as a
 * run delivers: through the outbox, recorded as each answer arrives, resumed after a crash.
 */
@Component
class RepairJob {

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final PlatformTransactionManager transactionManager;
    private final DeliverStep deliverStep;
    private final RestartRepair restarts;
    private final FeedOutcomes outcomes;
    private final FeedRunRepository feedRuns;
    private final OutboxRepository outbox;
    private final VerifyRepository verifies;
    private final Clock clock;

    RepairJob(JobRepository jobRepository, JobOperator jobOperator, PlatformTransactionManager transactionManager,
            DeliverStep deliverStep, RestartRepair restarts, FeedOutcomes outcomes, FeedRunRepository feedRuns,
            OutboxRepository outbox, VerifyRepository verifies, Clock clock) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.transactionManager = transactionManager;
        this.deliverStep = deliverStep;
        this.restarts = restarts;
        this.outcomes = outcomes;
        this.feedRuns = feedRuns;
        this.outbox = outbox;
        this.verifies = verifies;
        this.clock = clock;
    }

    FeedReport repair(FeedSpec feed, long runId, long verifyId, VendorChannel channel, BooleanSupplier stopRequested,
            Progress progress) throws Exception {
        Instant started = clock.instant();
        String name = "repair." + feed.name();
        FeedRunContext context = new FeedRunContext(feed, runId, false);
        RunOptions options = RunOptions.of(List.of(feed.name()));
        Step queue = new StepBuilder(name + ".queue", jobRepository)
                .tasklet((contribution, chunk) -> {
                    queue(feed, context.feedRunId(), verifyId);
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
        Job job = new JobBuilder(name, jobRepository)
                .listener(new JobExecutionListener() {
                    @Override
                    public void beforeJob(JobExecution execution) {
                        context.feedRunId(execution.getJobInstance().getInstanceId());
                        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
                            feedRuns.begin(context.feedRunId(), runId, feed.name(), feed.vendor().name(), feed.account(),
                                    FeedRunKind.REPAIR);
                            verifies.repairedBy(verifyId, context.feedRunId());
                        });
                    }
                })
                .start(queue)
                .next(deliverStep.deliver(context, options, channel, stopRequested, progress))
                .build();
        var parameters = restarts.parametersFor(name, feed, runId, 1, false);
        if (parameters.getParameter("verify.id") == null) { // a new instance: this verify's repair
            parameters = new JobParametersBuilder(parameters).addLong("verify.id", verifyId).toJobParameters();
        }
        JobExecution execution = jobOperator.start(job, parameters);
        return outcomes.report(feed, context, execution, Duration.between(started, clock.instant()));
    }

    /** The synced values of each drifted member's drifted fields, as REPAIR changes. */
    private void queue(FeedSpec feed, long feedRunId, long verifyId) {
        List<NewChange> changes = new ArrayList<>();
        verifies.forEachDriftedMember(verifyId, feed.name(), (member, drift) -> {
            List<String> fields = new ArrayList<>();
            for (JsonNode entry : drift) {
                fields.add(entry.get("field").stringValue());
            }
            changes.add(new NewChange(member.key(), 0, feed.vendor().repair(member.synced(), fields),
                    member.fingerprint(), ChangeKind.REPAIR));
            if (changes.size() == 10_000) {
                outbox.insert(feedRunId, changes);
                changes.clear();
            }
        });
        outbox.insert(feedRunId, changes);
    }
}
