package com.membersync.cli;

import com.membersync.config.ChangeLimit;
import com.membersync.feed.FeedCatalog;
import com.membersync.feed.FeedSpec;
import com.membersync.job.SideBySide;
import com.membersync.observability.PersonalData;
import com.membersync.state.CheckResult;
import com.membersync.state.VerifyRepository;
import com.membersync.verify.Verifier;
import com.membersync.verify.VerifyOptions;
import com.membersync.verify.VerifyReport;
import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Reads the members' live records from each vendor and compares every field the feed manages with",
                "what member-sync last synced; lists the drift. Resumable like run."})
final class VerifyCommand implements Callable<Integer> {

    /** Findings printed on the terminal; --output lists them all. */
    static final int SHOWN = 50;
    static final List<String> OUTPUT_COLUMNS = List.of("feed", "key", "field", "synced_value", "vendor_value");

    private final SpringContexts contexts;

    @Option(names = "--feed", paramLabel = "NAME", description = "Verify only this feed (repeatable).")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--sample", paramLabel = "N|P%", description = "Check a random sample of the synced members: a count, or a share.")
    String sample;

    @Option(names = "--repair", description = "Send the synced values to every drifted member, as a run would.")
    boolean repair;

    @Option(names = "--output", paramLabel = "FILE", description = "Write every finding as CSV (feed,key,field,synced_value,vendor_value), unmasked.")
    Path output;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    VerifyCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() throws Exception {
        if (sample != null) {
            try {
                ChangeLimit.parse(sample);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sample: " + e.getMessage());
            }
        }
        try (ConfigurableApplicationContext context = contexts.openForVerify()) {
            Verifier verifier = context.getBean(Verifier.class);
            return GracefulStop.around(context, context.getBean(SideBySide.class)::requestStop, () -> {
                Instant startedAt = Instant.now();
                VerifyReport.Result result = verifier.verify(new VerifyOptions(List.copyOf(feeds), sample, repair));
                VerifyRepository verifies = context.getBean(VerifyRepository.class);
                Map<String, FeedSpec> specs = context.getBean(FeedCatalog.class).select(List.copyOf(feeds)).stream()
                        .collect(Collectors.toMap(FeedSpec::name, feed -> feed));
                print(result, verifies, specs, System.out);
                if (output != null) {
                    long rows = write(result, verifies, output);
                    System.out.printf(Locale.ROOT, "%d findings written to %s%n", rows, output);
                }
                if (report != null) {
                    var json = context.getBean(JsonMapper.class);
                    RunReport.write(report, RunReport.toJson(result, startedAt, Instant.now(), json), json);
                }
                return result.exitCode();
            });
        }
    }

    /** The table, what cannot be verified, then the findings, personal values masked. */
    static void print(VerifyReport.Result result, VerifyRepository verifies, Map<String, FeedSpec> specs, PrintStream out) {
        out.printf(Locale.ROOT, "verify, run %d: exit %d%n", result.runId(), result.exitCode());
        String format = "%-20s %-16s %-7s %9s %9s %9s %9s %9s %9s%n";
        out.printf(Locale.ROOT, format, "feed", "account", "vendor", "checked", "in step", "drifted", "not found",
                "repaired", "duration");
        for (VerifyReport feed : result.feeds()) {
            out.printf(Locale.ROOT, format, feed.feed(), feed.account(), feed.vendor(), feed.checked(), feed.inStep(), feed.drifted(),
                    feed.notFound(), feed.repaired(), String.format(Locale.ROOT, "%.1fs", feed.duration().toMillis() / 1000.0));
        }
        for (VerifyReport feed : result.feeds()) {
            if (!feed.notVerifiable().isEmpty()) {
                out.printf(Locale.ROOT, "%s: %s not verifiable: %s's answers do not return %s%n", feed.feed(),
                        String.join(", ", new TreeSet<>(feed.notVerifiable())), feed.vendor(),
                        feed.notVerifiable().size() == 1 ? "it" : "them");
            }
            if (feed.message() != null) {
                out.printf(Locale.ROOT, "%s: %s%n", feed.feed(), PersonalData.mask(feed.message()));
            }
            Set<String> personal = specs.get(feed.feed()).vendor().personalFields();
            long[] shown = {0};
            verifies.forEachFinding(feed.verifyId(), finding -> {
                if (shown[0]++ < SHOWN) {
                    out.println("  " + line(feed, finding, personal));
                }
            });
            if (shown[0] > SHOWN) {
                out.printf(Locale.ROOT, "  ... and %d more; --output FILE lists them all%n", shown[0] - SHOWN);
            }
        }
        if (result.exitCode() == ExitCodes.DRIFT && result.feeds().stream().anyMatch(f -> f.drifted() > f.repaired())) {
            out.println("`member-sync verify --repair` sends the synced values to the drifted members.");
        }
    }

    private static String line(VerifyReport feed, VerifyRepository.Checked finding, Set<String> personal) {
        if (finding.result() == CheckResult.NOT_FOUND) {
            return feed.feed() + " " + finding.key() + ": not found at " + feed.account();
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode drift : finding.drift()) {
            String field = drift.get("field").stringValue();
            boolean mask = personal.contains(field);
            fields.add(field + " synced " + shown(drift.get("synced"), mask) + ", at " + feed.account() + " "
                    + shown(drift.get("vendor"), mask));
        }
        return feed.feed() + " " + finding.key() + ": " + String.join("; ", fields);
    }

    private static String shown(JsonNode value, boolean personal) {
        String text = text(value);
        return text.isEmpty() ? "(none)" : personal ? PersonalData.maskValue(text) : text;
    }

    /** A value as a CSV cell holds it: text as it is, anything else as JSON; none as empty. */
    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.isString() ? value.stringValue() : value.toString();
    }

    /** Every finding, one row per drifted field (a member not found: one row without a field), unmasked. */
    private static long write(VerifyReport.Result result, VerifyRepository verifies, Path file) throws IOException {
        long[] rows = {0};
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CSVWriter csv = new CSVWriter(writer)) {
            csv.writeNext(OUTPUT_COLUMNS.toArray(String[]::new), false);
            for (VerifyReport feed : result.feeds()) {
                verifies.forEachFinding(feed.verifyId(), finding -> {
                    if (finding.result() == CheckResult.NOT_FOUND) {
                        csv.writeNext(new String[] {feed.feed(), finding.key(), "", "", "(not found)"}, false);
                        rows[0]++;
                    }
                    for (JsonNode drift : finding.drift()) {
                        csv.writeNext(new String[] {feed.feed(), finding.key(), drift.get("field").stringValue(),
                                text(drift.get("synced")), text(drift.get("vendor"))}, false);
                        rows[0]++;
                    }
                });
            }
        }
        return rows[0];
    }
}
