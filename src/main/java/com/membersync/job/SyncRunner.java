package com.membersync.job;

import com.membersync.channel.ChannelStats;
import com.membersync.channel.VendorChannel;
import com.membersync.delivery.DeliverStep;
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
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.stereotype.Component;

/**
 * Runs the selected feeds side by side (feeds of different rate-limit groups never wait for each other), each as its own
 * Spring Batch job instance: a feed whose last run failed or was stopped is resumed from its checkpoint, unless
 * a new run is asked for.
 */
@Component
public class SyncRunner {

    private final FeedCatalog catalog;
    private final PlanSteps planSteps;
    private final DeliverStep deliverStep;
    private final FeedJobs jobs;
    private final FeedRunRepository feedRuns;
    private final SideBySide sideBySide;
    private final SyncMetrics metrics;
    private final ConflictRetry retry;

    SyncRunner(FeedCatalog catalog, PlanSteps planSteps, DeliverStep deliverStep, FeedJobs jobs,
            FeedRunRepository feedRuns, SideBySide sideBySide, SyncMetrics metrics, ConflictRetry retry) {
        this.catalog = catalog;
        this.planSteps = planSteps;
        this.deliverStep = deliverStep;
        this.jobs = jobs;
        this.feedRuns = feedRuns;
        this.sideBySide = sideBySide;
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
        retry.run("the end of run " + outcome.runId(), () -> feedRuns.finishRun(outcome.runId(), exitCode,
                options.shard() == null ? null : options.shard().toString()));
        metrics.recordRun(reports, exitCode, retry.call("the feeds' last successes",
                () -> feedRuns.lastSuccess(feeds.stream().map(FeedSpec::name).toList())), outcome.accounts());
        return new RunResult(outcome.runId(), reports, exitCode, outcome.accounts(), Optional.ofNullable(options.shard()));
    }

    /** Asks a running sync to stop (see {@link SideBySide#requestStop()}); the next {@code run} resumes. */
    public void requestStop() {
        sideBySide.requestStop();
    }

    /** The feed's sync: plan, review, then deliver unless the review held the plan back. */
    private FeedReport runFeed(FeedSpec feed, long runId, RunOptions options, VendorChannel channel) throws Exception {
        Progress progress = sideBySide.progress(feed);
        return jobs.run(feed, runId, options, new FeedJobs.Steps() {
            @Override
            public String jobName() {
                return feed.jobName(options.dryRun());
            }

            @Override
            public FeedRunKind kind() {
                return FeedRunKind.SYNC;
            }

            @Override
            public Job build(JobBuilder job, FeedRunContext context, RunOptions attempt) {
                Step review = planSteps.review(context, attempt);
                return job.start(planSteps.plan(context, attempt, sideBySide::stopRequested, progress))
                        .next(review)
                        .on(PlanSteps.HELD).end(PlanSteps.HELD)
                        .from(review).on("COMPLETED")
                        .to(deliverStep.deliver(context, attempt, channel, sideBySide::stopRequested, progress))
                        .end()
                        .build();
            }
        }, sideBySide::stopRequested);
    }
}
