package com.membersync.verify;

import com.membersync.channel.VendorChannel;
import com.membersync.config.ChangeLimit;
import com.membersync.connector.VendorClient;
import com.membersync.feed.FeedCatalog;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.job.SideBySide;
import com.membersync.metrics.SyncMetrics;
import com.membersync.plan.PlanSteps;
import com.membersync.state.CheckResult;
import com.membersync.state.ConflictRetry;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.VerifyRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs {@code verify}: for each feed, side by side and under the feed's lock (so a run and a verify of one feed never
 * share the vendor's budget unknowingly), checks the synced members (or a random sample of them) against the
 * vendor's live records, and with {@code --repair} sends the synced values to every drifted member. A verify that was
 * interrupted is resumed, its sample and its findings so far kept.
 */
@Component
public class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    private final FeedCatalog catalog;
    private final SideBySide sideBySide;
    private final VerifyRepository verifies;
    private final MemberStateRepository state;
    private final FeedRunRepository feedRuns;
    private final PlanSteps planSteps;
    private final RepairJob repairs;
    private final ConflictRetry retry;
    private final Clock clock;
    private final SyncMetrics metrics;

    Verifier(FeedCatalog catalog, SideBySide sideBySide, VerifyRepository verifies, MemberStateRepository state,
            FeedRunRepository feedRuns, PlanSteps planSteps, RepairJob repairs, ConflictRetry retry, Clock clock,
            SyncMetrics metrics) {
        this.metrics = metrics;
        this.catalog = catalog;
        this.sideBySide = sideBySide;
        this.verifies = verifies;
        this.state = state;
        this.feedRuns = feedRuns;
        this.planSteps = planSteps;
        this.repairs = repairs;
        this.retry = retry;
        this.clock = clock;
    }

    public VerifyReport.Result verify(VerifyOptions options) {
        List<FeedSpec> feeds = catalog.select(options.feeds());
        ChangeLimit sample = options.sample() == null ? null : ChangeLimit.parse(options.sample());
        SideBySide.Outcome<VerifyReport> outcome = sideBySide.run(feeds,
                (feed, runId, channel) -> verify(feed, runId, sample, options.repair(), channel));
        int exitCode = outcome.results().stream().map(VerifyReport::outcome).max(Comparator.comparingInt(Enum::ordinal))
                .map(VerifyReport.Outcome::exitCode).orElse(0);
        retry.run("the end of run " + outcome.runId(), () -> feedRuns.finishRun(outcome.runId(), exitCode));
        metrics.recordVerify(outcome.results().stream().map(f -> new SyncMetrics.Verified(f.feed(), f.vendor(),
                f.account(), f.checked(), f.inStep(), f.drifted(), f.notFound(), f.repaired(), f.driftedFields())).toList());
        return new VerifyReport.Result(outcome.runId(), outcome.results(), exitCode, outcome.accounts());
    }

    private VerifyReport verify(FeedSpec feed, long runId, ChangeLimit sample, boolean repair, VendorChannel channel)
            throws Exception {
        Instant started = clock.instant();
        long synced = state.count(feed.scope());
        Optional<VerifyRepository.VerifyRun> interrupted = verifies.unfinished(feed.name());
        VendorClient client = feed.vendor().client(feed.settings(), channel);
        long verifyId;
        boolean repairing = repair;
        if (interrupted.isPresent()) {
            verifyId = interrupted.get().verifyId();
            repairing |= interrupted.get().repair();
            log.info("{}: resuming the interrupted verify {} (its members and what was found so far are kept)",
                    feed.name(), verifyId);
        } else {
            long count = sample == null ? synced : Math.max(1, sample.of(synced));
            verifyId = verifies.start(runId, feed.scope(), feed.vendor().name(), repair, count, synced,
                    member -> client.listScope(member).orElse(null));
        }
        Progress progress = sideBySide.progress(feed);
        FeedCheck check = new FeedCheck(feed, verifyId, verifies, client, channel, sideBySide::stopRequested, progress,
                () -> planSteps.inputFields(feed));
        long members = verifies.membersByScope(verifyId).values().stream().mapToLong(Long::longValue).sum();
        Optional<String> failed = check.run(synced == 0 ? 1 : Math.min(1, (double) members / synced));
        Map<CheckResult, Long> counts = verifies.counts(verifyId);
        long drifted = counts.get(CheckResult.DRIFTED);
        long notFound = counts.get(CheckResult.NOT_FOUND);
        long checked = counts.get(CheckResult.IN_STEP) + drifted + notFound;
        if (failed.isPresent()) {
            verifies.status(verifyId, runId, VerifyRepository.Status.CHECKING, failed.get());
            return report(feed, verifyId, VerifyReport.Outcome.FAILED, counts, check.notVerifiable(), 0, started,
                    failed.get() + "; the next verify resumes", null);
        }
        verifies.status(verifyId, runId, VerifyRepository.Status.CHECKED, null);
        if (drifted + notFound == 0) {
            verifies.status(verifyId, runId, VerifyRepository.Status.DONE, null);
            return report(feed, verifyId, VerifyReport.Outcome.IN_STEP, counts, check.notVerifiable(), 0, started,
                    null, null);
        }
        if (!repairing || drifted == 0) {
            verifies.status(verifyId, runId, VerifyRepository.Status.DONE, null);
            return report(feed, verifyId, VerifyReport.Outcome.DRIFT, counts, check.notVerifiable(), 0, started,
                    (drifted > 0 ? drifted + " of " + checked + " members drifted" : "")
                            + (drifted > 0 && notFound > 0 ? "; " : "")
                            + (notFound > 0 ? notFound + " not found at " + feed.vendor().name() : ""), null);
        }
        FeedReport repaired = repairs.repair(feed, runId, verifyId, channel, sideBySide::stopRequested, progress);
        if (repaired.outcome() == FeedReport.Outcome.FAILED) {
            return report(feed, verifyId, VerifyReport.Outcome.FAILED, counts, check.notVerifiable(), repaired.synced(),
                    started, "the repair did not finish: " + repaired.message() + "; the next verify resumes it", repaired);
        }
        verifies.status(verifyId, runId, VerifyRepository.Status.DONE, null);
        boolean all = repaired.synced() == drifted && notFound == 0;
        return report(feed, verifyId, all ? VerifyReport.Outcome.REPAIRED : VerifyReport.Outcome.DRIFT, counts,
                check.notVerifiable(), repaired.synced(), started, all ? null : (drifted - repaired.synced())
                        + " drifted members were not repaired" + (notFound > 0 ? ", " + notFound + " not found" : ""),
                repaired);
    }

    private VerifyReport report(FeedSpec feed, long verifyId, VerifyReport.Outcome outcome, Map<CheckResult, Long> counts,
            Set<String> notVerifiable, long repaired, Instant started, String message, FeedReport repair) {
        long drifted = counts.get(CheckResult.DRIFTED);
        long notFound = counts.get(CheckResult.NOT_FOUND);
        long inStep = counts.get(CheckResult.IN_STEP);
        return new VerifyReport(feed.name(), feed.vendor().name(), feed.account(), verifyId, outcome, inStep + drifted + notFound, inStep,
                drifted, drifted == 0 ? 0 : verifies.driftedFields(verifyId), notFound, repaired, notVerifiable,
                Duration.between(started, clock.instant()), message, repair);
    }
}
