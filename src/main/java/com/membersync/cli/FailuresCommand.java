package com.membersync.cli;

import com.membersync.state.FailureRepository;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.RowFailure;
import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "failures", mixinStandardHelpOptions = true,
        description = "The rows that were rejected, refused or failed, with line, key, field and reason.")
final class FailuresCommand implements Callable<Integer> {

    /** Columns added after the input's own in --output, so the file can be fixed and fed back. */
    static final List<String> REPORT_COLUMNS = List.of("error_kind", "error_line", "error_field", "error_reason");

    private final SpringContexts contexts;

    @Option(names = "--run", paramLabel = "ID", description = "A run id from `status` (default: the latest run).")
    Long runId;

    @Option(names = "--feed", paramLabel = "NAME", description = "Only this feed.")
    String feed;

    @Option(names = "--output", paramLabel = "FILE", description = "Write them as CSV: the input columns, then why.")
    Path output;

    FailuresCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() throws IOException {
        try (ConfigurableApplicationContext context = contexts.openWithoutMetrics()) {
            FeedRunRepository runs = context.getBean(FeedRunRepository.class);
            Long run = runId != null ? runId : runs.latestRunId().orElse(null);
            if (run == null) {
                System.out.println("No runs yet.");
                return ExitCodes.OK;
            }
            List<RowFailure> failures = context.getBean(FailureRepository.class).ofRun(run, feed);
            if (output != null) {
                write(failures, output);
                System.out.printf(Locale.ROOT, "%d rows of run %d written to %s%n", failures.size(), run, output);
                return ExitCodes.OK;
            }
            System.out.printf(Locale.ROOT, "run %d: %d rows did not sync%n", run, failures.size());
            for (RowFailure f : failures) {
                System.out.printf(Locale.ROOT, "%s line %d key %s: %s%s%s%n", f.feed(), f.line(),
                        f.key() == null ? "(blank)" : f.key(), f.kind().name().toLowerCase(Locale.ROOT),
                        f.field() == null ? "" : " " + f.field(),
                        ": " + f.reason() + (f.httpStatus() == null ? "" : " (HTTP " + f.httpStatus() + ")"));
            }
            return ExitCodes.OK;
        }
    }

    private static void write(List<RowFailure> failures, Path output) throws IOException {
        Set<String> columns = new LinkedHashSet<>();
        for (RowFailure f : failures) {
            if (f.row() != null) {
                columns.addAll(f.row().keySet());
            }
        }
        try (Writer writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                CSVWriter csv = new CSVWriter(writer)) {
            List<String> header = new ArrayList<>(columns);
            header.addAll(REPORT_COLUMNS);
            csv.writeNext(header.toArray(String[]::new), false);
            for (RowFailure f : failures) {
                List<String> cells = new ArrayList<>();
                for (String column : columns) {
                    cells.add(f.row() == null ? "" : nullToEmpty(f.row().get(column)));
                }
                cells.add(f.kind().name().toLowerCase(Locale.ROOT));
                cells.add(Long.toString(f.line()));
                cells.add(nullToEmpty(f.field()));
                cells.add(f.reason());
                csv.writeNext(cells.toArray(String[]::new), false);
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
