package com.membersync.job;

import com.membersync.channel.ChannelStats;
import com.membersync.channel.RequestPacer;
import com.membersync.channel.VendorChannel;
import com.membersync.channel.VendorChannels;
import com.membersync.observability.SyncMetrics;
import com.membersync.source.InputFiles;
import com.membersync.state.ChangeStatus;
import com.membersync.state.ConflictRetry;
import com.membersync.state.FeedLocks;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.OutboxRepository;
import com.membersync.state.StateStoreFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Runs the selected feeds side by side (feeds of different vendors never wait for each other), each as its own
 * Spring Batch job instance: a feed whose last run failed or was stopped is resumed from its checkpoint, unless
 * a new run is asked for.
 */
@Component
public class SyncRunner {

    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    private static final Set<BatchStatus> RESUMABLE = Set.of(BatchStatus.FAILED, BatchStatus.STOPPED);

    private final FeedCatalog catalog;
    private final FeedJobFactory jobs;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final FeedRunRepository feedRuns;
    private final OutboxRepository outbox;
    private final FeedLocks locks;
    private final Clock clock;
    private final SyncMetrics metrics;
    private final ConflictRetry retry;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile VendorChannels channels;

    SyncRunner(FeedCatalog catalog, FeedJobFactory jobs, JobRepository jobRepository, JobOperator jobOperator,
            FeedRunRepository feedRuns, OutboxRepository outbox, FeedLocks locks, Clock clock, SyncMetrics metrics,
            ConflictRetry retry) {
        this.retry = retry;
        this.metrics = metrics;
        this.locks = locks;
        this.catalog = catalog;
        this.jobs = jobs;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.feedRuns = feedRuns;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The result of one {@code run}. */
    public record RunResult(long runId, List<FeedReport> feeds, int exitCode, Map<String, ChannelStats> vendors) {}

    /**
     * Checks the configuration and inputs (throwing before anything is sent), then syncs the feeds.
     */
    public RunResult run(RunOptions options) {
        List<FeedSpec> feeds = catalog.select(options.feeds());
        for (FeedSpec feed : feeds) {
            var layout = jobs.inputLayout(feed); // the CSV header, or the query's columns
            InputFiles.requireColumns(feed.name(), layout, List.of(feed.vendor().keyField()), feed.properties().columns());
            List<String> unknown = layout.headers().keySet().stream()
                    .filter(column -> !column.equals(feed.vendor().keyField()) && !feed.vendor().fields().contains(column)
                            && !feed.properties().columns().containsValue(column))
                    .toList();
            if (!unknown.isEmpty()) {
                log.warn("{}: ignoring columns {} (not {} fields)", feed.name(), unknown, feed.vendor().name());
            }
        }
        try (FeedLocks.Held locks = this.locks.acquire(feeds.stream().map(FeedSpec::name).toList())) {
            return runLocked(feeds, options);
        }
    }

    private RunResult runLocked(List<FeedSpec> feeds, RunOptions options) {
        long runId = retry.call("the start of a run", feedRuns::createRun);
        List<FeedReport> reports = new ArrayList<>();
        Map<String, ChannelStats> vendorStats = new java.util.TreeMap<>();
        try (VendorChannels channels = new VendorChannels(clock, RequestPacer.Sleeper.THREAD, metrics);
                // A platform thread per feed, not a virtual one: a virtual thread's first blocking read starts the
                // JDK's I/O poller, a thread parked in native code that makes every JVM exit wait 300 ms for it.
                ExecutorService perFeed = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("feed-", 1).factory())) {
            this.channels = channels;
            List<Future<FeedReport>> results = new ArrayList<>();
            for (FeedSpec feed : feeds) {
                VendorChannel channel = channels.channel(feed.settings(), authHint(feed));
                results.add(perFeed.submit(() -> runFeed(feed, runId, options, channel)));
            }
            for (Future<FeedReport> result : results) {
                reports.add(result.get());
            }
            channels.all().forEach((vendor, channel) -> vendorStats.put(vendor, channel.stats()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            this.channels = null;
            jobs.clearProgress();
        }
        int exitCode = reports.stream().map(FeedReport::outcome).max(java.util.Comparator.comparingInt(Enum::ordinal))
                .map(FeedReport.Outcome::exitCode).orElse(0);
        retry.run("the end of run " + runId, () -> feedRuns.finishRun(runId, exitCode));
        metrics.recordRun(reports, exitCode, retry.call("the feeds' last successes",
                () -> feedRuns.lastSuccess(feeds.stream().map(FeedSpec::name).toList())));
        return new RunResult(runId, reports, exitCode, vendorStats);
    }

    /**
     * Asks a running sync to stop: no new rows are read and no new requests start; requests in flight finish and
     * are recorded. The next {@code run} resumes.
     */
    public void requestStop() {
        if (stopRequested.compareAndSet(false, true)) {
            VendorChannels current = channels;
            if (current != null) {
                current.stopAll("member-sync was asked to stop; the next run resumes");
            }
        }
    }

    /**
     * Runs the feed's job. When the state store aborted one of its transactions for a conflict with another feed's
     * (see {@link ConflictRetry}), the job is resumed from its last checkpoint, a bounded number of times: every
     * step's work is checkpointed, so resuming repeats none of it.
     */
    private FeedReport runFeed(FeedSpec feed, long runId, RunOptions options, VendorChannel channel) throws Exception {
        Instant started = clock.instant();
        RunOptions attemptOptions = options;
        for (int attempt = 1; ; attempt++) {
            FeedRunContext context = new FeedRunContext(feed, runId, options.dryRun());
            Job job = jobs.build(context, attemptOptions, channel, stopRequested::get);
            Optional<String> conflict;
            JobExecution execution = null;
            try {
                JobParameters parameters = parametersFor(feed, runId, attempt, attemptOptions);
                execution = jobOperator.start(job, parameters);
                conflict = execution.getStatus().isUnsuccessful() ? execution.getAllFailureExceptions().stream()
                        .map(SyncRunner::conflict).flatMap(Optional::stream).findFirst() : Optional.empty();
            } catch (Exception e) {
                conflict = conflict(e);
                if (conflict.isEmpty() || attempt >= ConflictRetry.MAX_ATTEMPTS) {
                    throw e;
                }
            }
            if (conflict.isPresent() && attempt < ConflictRetry.MAX_ATTEMPTS && !stopRequested.get()) {
                log.warn("{}: the state store aborted a transaction of this feed ({}), as it met another"
                        + " transaction; resuming the feed from its last checkpoint ({} of {})", feed.name(),
                        conflict.get(), attempt + 1, ConflictRetry.MAX_ATTEMPTS);
                attemptOptions = attemptOptions.resumed();
                continue;
            }
            JobExecution ended = execution;
            return retry.call("the report of feed " + feed.name(),
                    () -> report(feed, context, ended, Duration.between(started, clock.instant())));
        }
    }

    /** What ended a job when it was a conflict with another feed's transaction, which resuming gets past. */
    private static Optional<String> conflict(Throwable thrown) {
        Optional<String> state = ConflictRetry.transientState(thrown);
        if (state.isPresent()) {
            return state.map(ConflictRetry::describe);
        }
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockingFailureException) {
                // Spring Batch's record of a step, out of step with the database after an aborted transaction
                return Optional.of("a step's record left behind by an aborted transaction");
            }
        }
        return Optional.empty();
    }

    /** The parameters of the feed's interrupted job instance to resume it, or new ones for a new instance. */
    private JobParameters parametersFor(FeedSpec feed, long runId, int attempt, RunOptions options) throws Exception {
        JobInstance lastInstance = jobRepository.getLastJobInstance(feed.jobName(options.dryRun()));
        JobExecution last = lastInstance == null ? null : jobRepository.getLastJobExecution(lastInstance);
        if (last != null && !last.getStatus().isRunning()) {
            // Losing the state store mid-step can leave the job ended but a step recorded as still running, which
            // Spring Batch would take for a live run forever: mark such a step failed so the job can resume.
            for (StepExecution step : last.getStepExecutions()) {
                if (step.getStatus().isRunning()) {
                    log.warn("{}: step {} of the previous run did not record its end; marking it failed", feed.name(),
                            step.getStepName());
                    step.setStatus(BatchStatus.FAILED);
                    step.setExitStatus(org.springframework.batch.core.ExitStatus.FAILED);
                    step.setEndTime(java.time.LocalDateTime.now(clock));
                    jobRepository.update(step);
                }
            }
        }
        if (last != null && last.getStatus().isRunning()) {
            // Left STARTED by a process that died (kill -9, OOM): mark it failed so it can be resumed.
            log.warn("{}: the previous run (execution {}) did not finish; recovering it", feed.name(), last.getId());
            last = jobOperator.recover(last);
        }
        if (last != null && (last.getStatus() == BatchStatus.UNKNOWN
                || last.getStepExecutions().stream().anyMatch(step -> step.getStatus() == BatchStatus.UNKNOWN))) {
            // Spring Batch marks a step UNKNOWN when it could not record its own outcome (the state store was lost
            // mid-step) and refuses to restart it, whether the job itself ended UNKNOWN or FAILED. Planning again
            // from the top is safe: the diff against the cached state skips what was already delivered.
            log.warn("{}: the interrupted run {} lost the state store mid-step and cannot be resumed; planning the"
                    + " feed again from the top", feed.name(), lastInstance.getInstanceId());
            feedRuns.end(lastInstance.getInstanceId(), "ABANDONED", "state store lost mid-step; planned again");
            return newInstance(runId, attempt);
        }
        if (last != null && RESUMABLE.contains(last.getStatus())) {
            if (options.newRun()) {
                log.warn("{}: abandoning the interrupted run {} (--new)", feed.name(), lastInstance.getInstanceId());
                jobOperator.abandon(last);
                feedRuns.end(lastInstance.getInstanceId(), "ABANDONED", "abandoned by run --new");
            } else {
                log.info("{}: resuming the interrupted run {}", feed.name(), lastInstance.getInstanceId());
                return last.getJobParameters();
            }
        }
        return newInstance(runId, attempt);
    }

    /**
     * A new job instance of this run; an attempt after a conflict that had to start over gets one of its own, as
     * the run's first instance exists already.
     */
    private static JobParameters newInstance(long runId, int attempt) {
        JobParametersBuilder parameters = new JobParametersBuilder().addLong("run.id", runId);
        return (attempt > 1 ? parameters.addLong("attempt", (long) attempt) : parameters).toJobParameters();
    }

    private FeedReport report(FeedSpec feed, FeedRunContext context, JobExecution execution, Duration duration) {
        long feedRunId = execution.getJobInstance().getInstanceId();
        FeedRun run = feedRuns.find(feedRunId).orElseThrow();
        Map<ChangeStatus, Long> changes = outbox.countByStatus(feedRunId);
        long synced = changes.get(ChangeStatus.SYNCED);
        long refused = changes.get(ChangeStatus.REFUSED);
        long failed = changes.get(ChangeStatus.FAILED);
        long pending = changes.get(ChangeStatus.PENDING);
        String message = null;
        FeedReport.Outcome outcome;
        FeedRunContext.Review review = context.review();
        if (review != null) {
            outcome = review.stoppedBecause() != null ? FeedReport.Outcome.GUARDED
                    : run.rejected() > 0 ? FeedReport.Outcome.COMPLETED_WITH_REJECTIONS : FeedReport.Outcome.DRY_RUN;
            message = review.stoppedBecause() == null ? "dry run: nothing was sent"
                    : (context.dryRun() ? "the mass-change guard would stop this feed: " : "") + review.stoppedBecause();
            pending = 0;
        } else if (execution.getStatus() == BatchStatus.COMPLETED && failed == 0) {
            outcome = run.rejected() + refused > 0 ? FeedReport.Outcome.COMPLETED_WITH_REJECTIONS : FeedReport.Outcome.COMPLETED;
        } else {
            outcome = FeedReport.Outcome.FAILED;
            message = failureMessage(execution, failed);
        }
        String status = review != null ? (review.stoppedBecause() != null ? "GUARDED" : "DRY_RUN")
                : execution.getStatus() == BatchStatus.COMPLETED ? "COMPLETED" : execution.getStatus().name();
        feedRuns.end(feedRunId, status, message);
        return new FeedReport(feed.name(), feed.vendor().name(), feedRunId, outcome, run.read(), run.unchanged(),
                run.planned(), synced, run.rejected(), refused, failed, pending, duration, message,
                review == null ? List.of() : review.preview());
    }

    private static String failureMessage(JobExecution execution, long failed) {
        for (Throwable t : execution.getAllFailureExceptions()) {
            if (StateStoreFailure.causes(t)) {
                return StateStoreFailure.message(t); // rather than "JDBC rollback failed"
            }
            Throwable cause = t;
            while (cause.getCause() != null && cause.getMessage() == null) {
                cause = cause.getCause();
            }
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        if (execution.getStatus() == BatchStatus.STOPPED) {
            return "stopped on request; the next run resumes it";
        }
        return failed + " rows failed after every retry; `failures` lists them, the next run tries them again";
    }

    private static String authHint(FeedSpec feed) {
        String vendor = feed.vendor().name();
        String hint = "check member-sync.vendors." + vendor + ".api-key";
        return feed.settings().tenant() != null ? hint + " and member-sync.vendors." + vendor + ".tenant" : hint;
    }
}
