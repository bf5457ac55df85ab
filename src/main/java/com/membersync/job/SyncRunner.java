package com.membersync.job;

import com.membersync.channel.ChannelStats;
import com.membersync.channel.VendorChannel;
import com.membersync.feed.FeedCatalog;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.RunOptions;
import com.membersync.feed.Shard;
import com.membersync.metrics.SyncMetrics;
import com.membersync.plan.PlanSteps;
import com.membersync.state.ConflictRetry;
import com.membersync.state.FeedRunRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Runs the selected feeds side by side (feeds of different rate-limit groups never wait for each other), each as its own
 * Spring Batch job instance: a feed whose last run failed or was stopped is resumed from its checkpoint, unless
 * a new run is asked for.
 */
@Component
public class SyncRunner {

    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

    private final FeedCatalog catalog;
    private final PlanSteps planSteps;
    private final FeedJobFactory jobs;
    private final RestartRepair restarts;
    private final FeedOutcomes outcomes;
    private final JobOperator jobOperator;
    private final FeedRunRepository feedRuns;
    private final SideBySide sideBySide;
    private final Clock clock;
    private final SyncMetrics metrics;
    private final ConflictRetry retry;

    SyncRunner(FeedCatalog catalog, PlanSteps planSteps, FeedJobFactory jobs, RestartRepair restarts,
            FeedOutcomes outcomes, JobOperator jobOperator, FeedRunRepository feedRuns, SideBySide sideBySide,
            Clock clock, SyncMetrics metrics, ConflictRetry retry) {
        this.catalog = catalog;
        this.planSteps = planSteps;
        this.jobs = jobs;
        this.restarts = restarts;
        this.outcomes = outcomes;
        this.jobOperator = jobOperator;
        this.feedRuns = feedRuns;
        this.sideBySide = sideBySide;
        this.clock = clock;
        this.metrics = metrics;
        this.retry = retry;
    }

    /**
     * The result of one {@code run}: each feed's report, the exit code, what each account's channel did (by account),
     * and the shard that ran, if one was asked for.
     */
    public record RunResult(long runId, List<FeedReport> feeds, int exitCode, Map<String, ChannelStats> accounts,
            Optional<Shard> shard) {}

    /**
     * Checks the configuration and inputs (throwing before anything is sent), then syncs the feeds.
     */
    public RunResult run(RunOptions options) {
        List<String> names = options.feeds();
        if (options.shard() != null) {
            names = options.shard().of(catalog.names());
            if (names.isEmpty()) {
                log.info("shard {} has no feeds: {} feeds are dealt to {} shards", options.shard(),
                        catalog.names().size(), options.shard().count());
                return new RunResult(0, List.of(), 0, Map.of(), Optional.of(options.shard()));
            }
        }
        List<FeedSpec> feeds = catalog.select(names);
        feeds.forEach(planSteps::checkInput);
        SideBySide.Outcome<FeedReport> outcome = sideBySide.run(feeds,
                (feed, runId, channel) -> runFeed(feed, runId, options, channel));
        List<FeedReport> reports = outcome.results();
        int exitCode = reports.stream().map(FeedReport::outcome).max(Comparator.comparingInt(Enum::ordinal))
                .map(FeedReport.Outcome::exitCode).orElse(0);
        retry.run("the end of run " + outcome.runId(), () -> feedRuns.finishRun(outcome.runId(), exitCode));
        metrics.recordRun(reports, exitCode, retry.call("the feeds' last successes",
                () -> feedRuns.lastSuccess(feeds.stream().map(FeedSpec::name).toList())));
        return new RunResult(outcome.runId(), reports, exitCode, outcome.accounts(), Optional.ofNullable(options.shard()));
    }

    /** Asks a running sync to stop (see {@link SideBySide#requestStop()}); the next {@code run} resumes. */
    public void requestStop() {
        sideBySide.requestStop();
    }

    /**
     * Runs the feed's job. When the state store aborted one of its transactions for a conflict with another feed's
     * (see {@link ConflictRetry}), the job is resumed from its last checkpoint, a bounded number of times: every
     * step's work is checkpointed, so resuming repeats none of it.
     */
    private FeedReport runFeed(FeedSpec feed, long runId, RunOptions options, VendorChannel channel) throws Exception {
        Instant started = clock.instant();
        Progress progress = sideBySide.progress(feed);
        RunOptions attemptOptions = options;
        for (int attempt = 1; ; attempt++) {
            FeedRunContext context = new FeedRunContext(feed, runId, options.dryRun());
            Job job = jobs.build(context, attemptOptions, channel, sideBySide::stopRequested, progress);
            Optional<String> conflict;
            JobExecution execution = null;
            try {
                JobParameters parameters = restarts.parametersFor(feed, runId, attempt, attemptOptions);
                execution = jobOperator.start(job, parameters);
                conflict = execution.getStatus().isUnsuccessful() ? execution.getAllFailureExceptions().stream()
                        .map(SyncRunner::conflict).flatMap(Optional::stream).findFirst() : Optional.empty();
            } catch (Exception e) {
                conflict = conflict(e);
                if (conflict.isEmpty() || attempt >= ConflictRetry.MAX_ATTEMPTS) {
                    throw e;
                }
            }
            if (conflict.isPresent() && attempt < ConflictRetry.MAX_ATTEMPTS && !sideBySide.stopRequested()) {
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
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockingFailureException) {
                // Spring Batch's record of a step, out of step with the database after an aborted transaction
                return Optional.of("a step's record left behind by an aborted transaction");
            }
        }
        return Optional.empty();
    }
}
