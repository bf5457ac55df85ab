package com.membersync.delivery;

import com.membersync.channel.VendorChannel;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.PlannedChange;
import com.membersync.connector.VendorClient;
import com.membersync.delivery.DeliveryRecorder;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.Progress;
import com.membersync.state.ChangeStatus;
import com.membersync.state.OutboxRepository;
import com.membersync.state.PendingChange;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Sends the feed's pending changes with up to {@code max-concurrency} in flight, each on a virtual thread, and
 * records each answer as it arrives (the outbox row is the checkpoint). Requests keep flowing without waiting
 * for a whole batch to finish, so the vendor's rate is filled; the channel keeps it from being exceeded.
 *
 * <p>When the vendor stops (credentials refused, circuit open) or the run is asked to stop, no new request
 * starts; those in flight finish and are recorded; the step then fails so that the next run resumes it.
 */
class DeliveryTasklet implements Tasklet {

    private final FeedRunContext context;
    private final VendorChannel channel;
    private final VendorClient client;
    private final OutboxRepository outbox;
    private final DeliveryRecorder recorder;
    private final BooleanSupplier stopRequested;
    private final Progress progress;
    /** A full resync trusts no cached state: vendors that need the current object (Decoda) read it again. */
    private final boolean fullResync;

    DeliveryTasklet(FeedRunContext context, VendorChannel channel, VendorClient client, OutboxRepository outbox,
            DeliveryRecorder recorder, BooleanSupplier stopRequested, Progress progress, boolean fullResync) {
        this.fullResync = fullResync;
        this.context = context;
        this.channel = channel;
        this.client = client;
        this.outbox = outbox;
        this.recorder = recorder;
        this.stopRequested = stopRequested;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        long feedRunId = context.feedRunId();
        String feed = context.feed().name();
        // Changes that failed in an earlier attempt (5xx, timeouts) are tried again now that the vendor may be back.
        outbox.retryFailed(feedRunId);
        OutboxRepository.Counts counts = outbox.counts(feedRunId);
        progress.begin(counts.rows().get(ChangeStatus.PENDING) + counts.deactivations().get(ChangeStatus.PENDING),
                Progress.Work.SENDING);
        int window = channel.settings().maxConcurrency();
        int page = Math.max(100, window * 4);
        Semaphore slots = new Semaphore(window);
        AtomicReference<Throwable> broken = new AtomicReference<>();
        long after = 0;
        try (DeliveryRecorder.Session recording = recorder.session(feedRunId, context.runId(), context.feed().scope());
                ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            deliver:
            while (true) {
                List<PendingChange> changes = outbox.pending(feedRunId, context.feed().scope(), after, page);
                if (changes.isEmpty()) {
                    break;
                }
                for (PendingChange pending : changes) {
                    PlannedChange change = fullResync ? pending.change().withoutCache() : pending.change();
                    slots.acquire();
                    if (halted(broken)) {
                        slots.release();
                        break deliver;
                    }
                    after = change.id();
                    requests.submit(() -> {
                        try {
                            DeliveryOutcome outcome = client.deliver(change);
                            if (recording.record(new PendingChange(pending.kind(), change), outcome)) {
                                progress.delivered(1);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Throwable e) {
                            broken.compareAndSet(null, e);
                        } finally {
                            slots.release();
                        }
                    });
                }
            }
        }
        Throwable failure = broken.get();
        if (failure != null) {
            throw new DeliveryInterrupted("delivery failed: " + failure.getMessage(), failure);
        }
        if (channel.stopReason().isPresent()) {
            throw new DeliveryInterrupted(channel.stopReason().get(), null);
        }
        if (stopRequested.getAsBoolean()) {
            throw new DeliveryInterrupted(FeedReport.STOPPED_ON_REQUEST, null);
        }
        return RepeatStatus.FINISHED;
    }

    private boolean halted(AtomicReference<Throwable> broken) {
        return broken.get() != null || channel.stopReason().isPresent() || stopRequested.getAsBoolean();
    }

    /** Delivery ended before every change was sent; the pending ones wait for the next run. */
    static final class DeliveryInterrupted extends RuntimeException {
        DeliveryInterrupted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
