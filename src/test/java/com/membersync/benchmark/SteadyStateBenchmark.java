package com.membersync.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.MemberSyncApplication;
import com.membersync.sandbox.SandboxServer;
import com.membersync.source.CsvMemberReader;
import com.membersync.source.SourceRow;
import com.membersync.state.MemberStateRepository;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.TestDatabase;
import com.membersync.vendor.RowResult;
import com.membersync.vendor.VendorDefinition;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The nightly steady state: a member list where nothing (or 1 %) changed, timed end to end as its own JVM with
 * -Xmx512m, against a bare opencsv parse of the same file measured in the same run.
 * Run with {@code ./mvnw -B verify -Pperformance-benchmark}; sizes via {@code -Dbenchmark.sizes=100000,1000000}.
 */
class SteadyStateBenchmark {

    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->\\d+M\\(\\d+M\\)");

    record Figures(int rows, double seconds, double bareSeconds, long peakHeapMb) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    @Test
    void unchangedRowsAreCheckedAtParseSpeed() throws Exception {
        String[] sizes = System.getProperty("benchmark.sizes", "100000,1000000").split(",");
        Map<Integer, Figures> figures = new LinkedHashMap<>();
        Double onePercentSeconds = null;
        for (String size : sizes) {
            int n = Integer.parseInt(size.strip());
            Path folder = Files.createTempDirectory("member-sync-perf");
            try (SandboxServer sandbox = SandboxServer.start(0)) {
                TestDatabase.Schema schema = TestDatabase.newSchema("perf" + n);
                Path csv = generate(folder.resolve("members.csv"), n, 0);
                Map<String, Object> settings = settings(schema, sandbox, csv);
                seed(settings, csv);
                double bare = bareParse(csv);
                Figures f = timeRun(folder, settings, n, bare);
                figures.put(n, f);
                if (n == Integer.parseInt(sizes[sizes.length - 1].strip())) {
                    int changed = n / 100;
                    generate(csv, n, changed);
                    settings.put("member-sync.vendors.hang.rate-limit", "100000/s");
                    settings.put("member-sync.vendors.hang.max-concurrency", 64);
                    onePercentSeconds = timeRun(folder, settings, n, bare).seconds();
                    assertThat(sandbox.hang().served("PATCH")).hasSize(changed);
                }
            } finally {
                try (var files = Files.walk(folder)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }

        System.out.println();
        System.out.println("== Steady-state benchmark: member-sync run over an unchanged Hang CSV, own JVM, -Xmx512m ==");
        for (Figures f : figures.values()) {
            System.out.printf(Locale.ROOT,
                    "%,9d rows: %6.2f s end to end, %,9.0f rows/s, peak heap %d MB; bare opencsv parse %.2f s -> ratio %.1fx%n",
                    f.rows(), f.seconds(), f.rowsPerSecond(), f.peakHeapMb(), f.bareSeconds(), f.seconds() / f.bareSeconds());
        }
        if (figures.size() >= 2) {
            var list = List.copyOf(figures.values());
            Figures small = list.getFirst();
            Figures large = list.getLast();
            System.out.printf(Locale.ROOT, "growth: %,d rows take %.1fx the time of %,d rows%n", large.rows(),
                    large.seconds() / small.seconds(), small.rows());
        }
        if (onePercentSeconds != null) {
            System.out.printf(Locale.ROOT, "1 %% changed (%,d PATCHes, sandbox without latency): %.2f s%n",
                    List.copyOf(figures.keySet()).getLast() / 100, onePercentSeconds);
        }
        System.out.println();
    }

    /** ~100 bytes a row; {@code changed} rows (spread over the file) get a new email. */
    private static Path generate(Path csv, int n, int changed) throws Exception {
        int every = changed == 0 ? Integer.MAX_VALUE : n / changed;
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("program_membership_id,external_user_id,first_name,last_name,email,phone,birthday\n");
            for (int i = 0; i < n; i++) {
                String domain = i % every == 0 ? "changed.example.com" : "example.com";
                out.write(String.format(Locale.ROOT, "pm_%07d,crm-%07d,First%d,Last%d,member%d@%s,+1415%07d,19%02d-%02d-%02d%n",
                        i, i, i % 997, i % 991, i, domain, i % 10_000_000, 50 + i % 50, 1 + i % 12, 1 + i % 28));
            }
        }
        return csv;
    }

    private static Map<String, Object> settings(TestDatabase.Schema schema, SandboxServer sandbox, Path csv) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("spring.datasource.url", schema.url());
        settings.put("spring.datasource.username", schema.username());
        settings.put("spring.datasource.password", schema.password());
        settings.put("member-sync.vendors.hang.base-url", sandbox.baseUrl("hang"));
        settings.put("member-sync.vendors.hang.api-key", "hang-sandbox-key");
        settings.put("member-sync.feeds.members.vendor", "hang");
        settings.put("member-sync.feeds.members.csv", csv.toString());
        return settings;
    }

    /** Brings the cached state up to date with the file through the project's own reader and normalisation. */
    private static void seed(Map<String, Object> settings, Path csv) throws Exception {
        String[] args = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplication app = new SpringApplication(MemberSyncApplication.class);
        try (ConfigurableApplicationContext context = app.run(args)) {
            VendorDefinition hang = context.getBeansOfType(VendorDefinition.class).values().stream()
                    .filter(v -> v.name().equals("hang")).findFirst().orElseThrow();
            MemberStateRepository state = context.getBean(MemberStateRepository.class);
            CsvMemberReader reader = new CsvMemberReader("seed", csv, Map.of(), () -> {});
            reader.open(new ExecutionContext());
            Map<String, ObjectNode> batch = new HashMap<>();
            for (SourceRow row = reader.read(); row != null; row = reader.read()) {
                RowResult.Desired desired = (RowResult.Desired) hang.read(row, java.time.ZoneOffset.UTC);
                batch.put(desired.key(), desired.fields());
                if (batch.size() == 20_000) {
                    state.insertAll("members", batch);
                    batch.clear();
                }
            }
            state.insertAll("members", batch);
            reader.close();
        }
    }

    /** Parsing alone, the floor for any CSV job; the better of two passes. */
    private static double bareParse(Path csv) throws Exception {
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 2; pass++) {
            long started = System.nanoTime();
            long rows = 0;
            try (CSVReader reader = new CSVReaderBuilder(Files.newBufferedReader(csv, StandardCharsets.UTF_8))
                    .withCSVParser(new RFC4180ParserBuilder().build()).build()) {
                while (reader.readNext() != null) {
                    rows++;
                }
            }
            assertThat(rows).isPositive();
            best = Math.min(best, (System.nanoTime() - started) / 1e9);
        }
        return best;
    }

    private static Figures timeRun(Path folder, Map<String, Object> settings, int n, double bare) throws Exception {
        Path gcLog = folder.resolve("gc-" + System.nanoTime() + ".log");
        long started = System.nanoTime();
        MemberSyncProcess run = MemberSyncProcess.start(folder, settings,
                List.of("-Xmx512m", "-Xlog:gc:file=" + gcLog), "run");
        int exit = run.waitFor(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(exit).as(run.output()).isZero();
        long peak = 0;
        Matcher m = GC_HEAP.matcher(Files.exists(gcLog) ? Files.readString(gcLog) : "");
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        System.out.println(run.output());
        return new Figures(n, seconds, bare, peak);
    }
}
