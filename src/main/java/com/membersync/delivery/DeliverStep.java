package com.membersync.delivery;

import com.membersync.channel.VendorChannel;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.RunOptions;
import com.membersync.state.OutboxRepository;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.stereotype.Component;

/**
 * The last step of a feed's job, <em>deliver</em>: send the pending changes through the vendor's channel and record
 * each answer as it arrives.
 */
@Component
public class DeliverStep {

    private final JobRepository jobRepository;
    private final OutboxRepository outbox;
    private final DeliveryRecorder recorder;

    DeliverStep(JobRepository jobRepository, OutboxRepository outbox, DeliveryRecorder recorder) {
        this.jobRepository = jobRepository;
        this.outbox = outbox;
        this.recorder = recorder;
    }

    public Step deliver(FeedRunContext context, RunOptions options, VendorChannel channel,
            BooleanSupplier stopRequested, Progress progress) {
        FeedSpec feed = context.feed();
        DeliveryTasklet tasklet = new DeliveryTasklet(context, channel, feed.vendor().client(feed.settings(), channel),
                outbox, recorder, stopRequested, progress, options.fullResync());
        // Each answer is recorded in its own transaction as it arrives; the step itself needs none.
        return new StepBuilder(feed.name() + ".deliver", jobRepository)
                .tasklet(tasklet, new ResourcelessTransactionManager())
                .build();
    }
}
