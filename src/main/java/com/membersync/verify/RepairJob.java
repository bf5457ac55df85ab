package com.membersync.verify;

import com.membersync.channel.VendorChannel;
import com.membersync.delivery.DeliverStep;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.RunOptions;
import com.membersync.job.FeedJobs;
import com.membersync.state.ChangeKind;
import com.membersync.state.FeedRunKind;
import com.membersync.state.OutboxRepository.NewChange;
import com.membersync.state.OutboxRepository;
import com.membersync.state.VerifyRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * {@code verify --repair}: a job of the feed's own ({@code repair.<feed>}) that queues, for every drifted member, the
 * synced values of its drifted fields (and nothing else, so fields in step are not rewritten) and delivers them as a
 * run delivers: through the outbox, recorded as each answer arrives, resumed after a crash.
 */
@Component
class RepairJob {

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DeliverStep deliverStep;
    private final FeedJobs jobs;
    private final OutboxRepository outbox;
    private final VerifyRepository verifies;

    RepairJob(JobRepository jobRepository, PlatformTransactionManager transactionManager, DeliverStep deliverStep,
            FeedJobs jobs, OutboxRepository outbox, VerifyRepository verifies) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.deliverStep = deliverStep;
        this.jobs = jobs;
        this.outbox = outbox;
        this.verifies = verifies;
    }

    FeedReport repair(FeedSpec feed, long runId, long verifyId, VendorChannel channel, BooleanSupplier stopRequested,
            Progress progress) throws Exception {
        String name = "repair." + feed.name();
        return jobs.run(feed, runId, RunOptions.of(List.of(feed.name())), new FeedJobs.Steps() {
            @Override
            public String jobName() {
                return name;
            }

            @Override
            public FeedRunKind kind() {
                return FeedRunKind.REPAIR;
            }

            @Override
            public Job build(JobBuilder job, FeedRunContext context, RunOptions options) {
                Step queue = new StepBuilder(name + ".queue", jobRepository)
                        .tasklet((contribution, chunk) -> {
                            queue(feed, context.feedRunId(), verifyId);
                            return RepeatStatus.FINISHED;
                        }, transactionManager)
                        .build();
                return job.start(queue).next(deliverStep.deliver(context, options, channel, stopRequested, progress))
                        .build();
            }

            @Override
            public void started(long feedRunId) {
                verifies.repairedBy(verifyId, feedRunId);
            }

            /** A new instance is this verify's repair; a resumed one keeps the verify it was started for. */
            @Override
            public JobParameters parameters(JobParameters parameters) {
                return parameters.getParameter("verify.id") != null ? parameters
                        : new JobParametersBuilder(parameters).addLong("verify.id", verifyId).toJobParameters();
            }
        }, stopRequested);
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
