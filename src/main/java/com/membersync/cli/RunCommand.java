package com.membersync.cli;

import com.membersync.config.ChangeLimit;
import com.membersync.feed.RunOptions;
import com.membersync.job.SyncRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Syncs every configured feed, or the named ones.",
                "If the latest run of a feed failed or was stopped, it is resumed from its checkpoint."})
final class RunCommand implements Callable<Integer> {

    private final SpringContexts contexts;

    @Option(names = "--feed", paramLabel = "NAME", description = "Sync only this feed (repeatable).")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--full-resync", description = "Ignore the cached state and send every valid row.")
    boolean fullResync;

    @Option(names = "--new", description = "Abandon an interrupted run instead of resuming it, and start over.")
    boolean newRun;

    @Option(names = "--dry-run", description = "Show what would be sent (counts and the first changes, field by field); send nothing, change no cached state.")
    boolean dryRun;

    @Option(names = "--max-changes", paramLabel = "N|P%", description = "Mass-change guard for this run: stop before sending when more changes than this are planned (a count, or a share of the members already synced).")
    String maxChanges;

    @Option(names = "--force", description = "Send even when the mass-change guard would stop the run.")
    boolean force;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the run summary as JSON to FILE.")
    Path report;

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    RunCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() throws IOException {
        if (maxChanges != null) {
            try {
                ChangeLimit.parse(maxChanges);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-changes: " + e.getMessage());
            }
        }
        try (ConfigurableApplicationContext context = contexts.open()) {
            SyncRunner runner = context.getBean(SyncRunner.class);
            CountDownLatch finished = new CountDownLatch(1);
            AtomicInteger exitCode = new AtomicInteger(ExitCodes.FAILED);
            Duration grace = context.getEnvironment().getProperty("member-sync.shutdown-grace",
                    Duration.class, Duration.ofSeconds(20));
            Thread onSignal = new Thread(() -> {
                // SIGTERM or Ctrl-C: stop taking rows, let requests in flight finish and be recorded, then
                // exit with the run's own code (1 when it was cut short) rather than the signal's.
                runner.requestStop();
                try {
                    finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.flush();
                Runtime.getRuntime().halt(exitCode.get());
            }, "member-sync-shutdown");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                Instant startedAt = Instant.now();
                SyncRunner.RunResult result = runner.run(new RunOptions(List.copyOf(feeds), fullResync, newRun, dryRun,
                        maxChanges, force));
                RunSummary.print(result, System.out);
                if (report != null) {
                    var json = context.getBean(JsonMapper.class);
                    RunReport.write(report, RunReport.toJson(result, startedAt, Instant.now(), json), json);
                }
                exitCode.set(result.exitCode());
                return result.exitCode();
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it sees `finished` and returns
                }
            }
        }
    }
}
