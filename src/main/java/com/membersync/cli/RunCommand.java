package com.membersync.cli;

import com.membersync.config.ChangeLimit;
import com.membersync.feed.RunOptions;
import com.membersync.feed.Shard;
import com.membersync.job.SyncRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Syncs every configured feed, or the named ones, or those of one shard.",
                "If the latest run of a feed failed or was stopped, it is resumed from its checkpoint."})
final class RunCommand implements Callable<Integer> {

    private final SpringContexts contexts;

    @Option(names = "--feed", paramLabel = "NAME", description = "Sync only this feed (repeatable).")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--shard", paramLabel = "I/N", description = {"Sync the feeds of shard I of N (0 <= I < N), e.g."
            + " --shard $(JOB_COMPLETION_INDEX)/3 in a Kubernetes Indexed Job: the feeds are dealt to the shards in the"
            + " order of their names, always alike for one configuration."})
    String shard;

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

    @Option(names = "--report-html", paramLabel = "FILE", description = {"Also write the page of the run to FILE: one"
            + " self-contained HTML file (counts per feed, each account's requests per second against its limit, the rows"
            + " that did not sync with personal data masked)."})
    Path reportHtml;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    RunCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() throws Exception {
        Shard dealt = null;
        if (shard != null) {
            if (!feeds.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--shard and --feed: name feeds or a shard,"
                        + " not both");
            }
            try {
                dealt = Shard.parse(shard);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--shard: " + e.getMessage());
            }
        }
        if (maxChanges != null) {
            try {
                ChangeLimit.parse(maxChanges);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-changes: " + e.getMessage());
            }
        }
        RunOptions options = new RunOptions(List.copyOf(feeds), dealt, fullResync, newRun, dryRun, maxChanges, force);
        try (ConfigurableApplicationContext context = contexts.open()) {
            SyncRunner runner = context.getBean(SyncRunner.class);
            return GracefulStop.around(context, runner::requestStop, () -> {
                Instant startedAt = Instant.now();
                SyncRunner.RunResult result = runner.run(options);
                RunSummary.print(result, System.out);
                if (report != null) {
                    var json = context.getBean(JsonMapper.class);
                    RunReport.write(report, RunReport.toJson(result, startedAt, Instant.now(), json), json);
                }
                if (reportHtml != null) {
                    // from the state store, as `status --run ID --html` writes it; a shard with no feeds recorded no run
                    RunPage.write(reportHtml, RunPage.load(context, result.runId()).orElseGet(() -> RunPage.Content
                            .nothingRan(startedAt, Instant.now(), result.shard().map(Object::toString).orElse(null))));
                }
                return result.exitCode();
            });
        }
    }
}
