package com.membersync.cli;

import com.membersync.state.ChangeStatus;
import com.membersync.state.CheckResult;
import com.membersync.state.FeedRunKind;
import com.membersync.state.VerifyRepository;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.OutboxRepository;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The latest runs: when, which feeds, state, and per-feed counts.")
final class StatusCommand implements Callable<Integer> {

    private final SpringContexts contexts;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many runs (default ${DEFAULT-VALUE}).")
    int limit;

    StatusCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = contexts.openWithoutMetrics()) {
            FeedRunRepository runs = context.getBean(FeedRunRepository.class);
            OutboxRepository outbox = context.getBean(OutboxRepository.class);
            VerifyRepository verifies = context.getBean(VerifyRepository.class);
            var latest = runs.latestRuns(limit);
            if (latest.isEmpty()) {
                System.out.println("No runs yet.");
                return ExitCodes.OK;
            }
            for (var run : latest) {
                System.out.printf(Locale.ROOT, "run %d  started %s  %s%n", run.runId(), run.startedAt(),
                        run.finishedAt() == null ? "not finished (running, or killed)" : "exit " + run.exitCode());
                for (VerifyRepository.VerifyRun verify : verifies.ofRun(run.runId())) {
                    var counts = verifies.counts(verify.verifyId());
                    System.out.printf(Locale.ROOT, "  %-20s %-16s %-7s verify %-8s checked %d, in step %d, drifted %d, not found %d%s%n",
                            verify.feed(), account(verify.account(), verify.vendor()), verify.vendor(), verify.status(),
                            counts.get(CheckResult.IN_STEP) + counts.get(CheckResult.DRIFTED) + counts.get(CheckResult.NOT_FOUND),
                            counts.get(CheckResult.IN_STEP), counts.get(CheckResult.DRIFTED),
                            counts.get(CheckResult.NOT_FOUND), verify.message() == null ? "" : "  (" + verify.message() + ")");
                }
                for (FeedRun feed : runs.feedsOf(run.runId())) {
                    var changes = outbox.countByStatus(feed.feedRunId());
                    System.out.printf(Locale.ROOT,
                            "  %-20s %-16s %-7s %-10s read %d, unchanged %d, synced %d, rejected %d, refused %d, failed %d, pending %d%s%n",
                            feed.feed(), account(feed.account(), feed.vendor()), feed.vendor(), (feed.kind() == FeedRunKind.REPAIR ? "repair " : "") + feed.status(),
                            feed.read(), feed.unchanged(),
                            changes.get(ChangeStatus.SYNCED), feed.rejected(),
                            changes.get(ChangeStatus.REFUSED),
                            changes.get(ChangeStatus.FAILED),
                            changes.get(ChangeStatus.PENDING),
                            feed.message() == null ? "" : "  (" + feed.message() + ")");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The account a run was of; runs recorded before accounts existed were of the account named like the vendor. */
    private static String account(String account, String vendor) {
        return account == null ? vendor : account;
    }
}
