package com.membersync.cli;

import com.membersync.state.CheckResult;
import com.membersync.state.FeedRunKind;
import com.membersync.state.VerifyRepository;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.FeedRunRepository.SyncRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The latest runs: when, which feeds, state, and per-feed counts.",
                "--run ID shows one run; --html FILE writes the page of that run (default: the latest)."})
final class StatusCommand implements Callable<Integer> {

    private final SpringContexts contexts;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--run", paramLabel = "ID", description = "Only this run (an id from `status`).")
    Long runId;

    @Option(names = "--html", paramLabel = "FILE", description = {"Write the page of the run (--run, or else the latest)"
            + " to FILE, as `run --report-html` does, instead of listing it."})
    Path html;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    StatusCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() throws IOException {
        try (ConfigurableApplicationContext context = contexts.openWithoutMetrics()) {
            FeedRunRepository runs = context.getBean(FeedRunRepository.class);
            VerifyRepository verifies = context.getBean(VerifyRepository.class);
            List<SyncRun> shown = runId != null ? List.of(runs.run(runId).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "--run: there is no run " + runId + "; `member-sync status` lists the runs")))
                    : runs.latestRuns(html != null ? 1 : limit);
            if (shown.isEmpty()) {
                System.out.println("No runs yet.");
                return ExitCodes.OK;
            }
            if (html != null) {
                long run = shown.getFirst().runId();
                RunPage.write(html, RunPage.load(context, run).orElseThrow());
                System.out.printf(Locale.ROOT, "the page of run %d written to %s%n", run, html);
                return ExitCodes.OK;
            }
            for (var run : shown) {
                System.out.printf(Locale.ROOT, "run %d  started %s  %s%s%n", run.runId(), run.startedAt(),
                        run.finishedAt() == null ? "not finished (running, or killed)" : "exit " + run.exitCode(),
                        run.shard() == null ? "" : "  shard " + run.shard());
                for (VerifyRepository.VerifyRun verify : verifies.ofRun(run.runId())) {
                    var counts = verifies.counts(verify.verifyId());
                    System.out.printf(Locale.ROOT, "  %-20s %-16s %-7s verify %-8s checked %d, in step %d, drifted %d, not found %d%s%n",
                            verify.feed(), account(verify.account(), verify.vendor()), verify.vendor(), verify.status(),
                            counts.get(CheckResult.IN_STEP) + counts.get(CheckResult.DRIFTED) + counts.get(CheckResult.NOT_FOUND),
                            counts.get(CheckResult.IN_STEP), counts.get(CheckResult.DRIFTED),
                            counts.get(CheckResult.NOT_FOUND), verify.message() == null ? "" : "  (" + verify.message() + ")");
                }
                for (FeedRunRepository.Tally tally : runs.talliesOf(run.runId())) {
                    FeedRun feed = tally.run();
                    System.out.printf(Locale.ROOT,
                            "  %-20s %-16s %-7s %-10s read %d, unchanged %d, synced %d, rejected %d, refused %d, failed %d, pending %d%s%n",
                            feed.feed(), account(feed.account(), feed.vendor()), feed.vendor(), (feed.kind() == FeedRunKind.REPAIR ? "repair " : "") + feed.status(),
                            feed.read(), feed.unchanged(), tally.synced(), feed.rejected(), tally.refused(), tally.failed(),
                            tally.pending(), feed.message() == null ? "" : "  (" + feed.message() + ")");
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
