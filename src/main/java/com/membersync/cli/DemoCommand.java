package com.membersync.cli;

import com.membersync.feed.RunOptions;
import com.membersync.job.SyncRunner;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.sandbox.SandboxServer;
import com.membersync.sandbox.VendorSandbox;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.CSVWriter;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Shows member-sync at work with no setup at all: an in-memory state store, the built-in sandbox",
                "and the sample feeds. Syncs them, changes a few rows, syncs again, and shows what was sent each time."})
final class DemoCommand implements Callable<Integer> {

    /**
     * A sample feed, the account it writes to and the cells the demo changes between the two passes; its input is a
     * copy of the sample file named like the feed.
     */
    record DemoFeed(String name, String account, String sample, List<Edit> edits) {
        String file() {
            return name + ".csv";
        }
    }

    /** Set {@code column} of the row whose key column is {@code key} to {@code value}. */
    record Edit(String keyColumn, String key, String column, String value) {}

    /** The second clinic's account, a Decoda tenant of the sandbox's. */
    static final String DEMO_TENANT_ACCOUNT = "decoda-uptown";

    static final List<DemoFeed> FEEDS = List.of(
            new DemoFeed("demo-hang", "hang", "hang-members.csv", List.of(
                    new Edit("program_membership_id", "pm_1002", "email", "maria.gonzalez@newmail.example"),
                    new Edit("program_membership_id", "pm_1005", "phone", "(415) 555-0199")))
            , new DemoFeed("demo-decoda", "decoda", "decoda-memberships.csv", List.of(
                    new Edit("membership_id", "mem_tox_vip", "price", "15900"),
                    new Edit("membership_id", "mem_skin_starter", "name", "Skin Starter Plus")))
            // A second clinic: another Decoda tenant, the same plan ids, records of its own.
            , new DemoFeed("demo-decoda-uptown", DEMO_TENANT_ACCOUNT, "decoda-memberships.csv", List.of(
                    new Edit("membership_id", "mem_tox_vip", "price", "16900")))
            , new DemoFeed("demo-mayar", "mayar", "mayar-members.csv", List.of(
                    new Edit("memberId", "MBR3J7PL", "status", "stopped"),
                    new Edit("memberId", "MBR8X2QK", "nextPayment", "2026-09-20T16:10:57+07:00")))
            );

    private final SpringContexts contexts;

    DemoCommand(SpringContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("member-sync-demo");
        try (SandboxServer sandbox = SandboxServer.start(0)) {
            Map<String, Object> settings = new LinkedHashMap<>(SandboxSettings.of(sandbox).properties());
            settings.put("spring.datasource.url", "jdbc:h2:mem:member-sync-demo;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            // The sandbox is not rate limited; Mayar's 20/min default would make the demo take minutes.
            settings.put("member-sync.vendors.mayar.rate-limit", "600/min");
            // the sandbox's Decoda tenant "uptown", as the account DEMO_TENANT_ACCOUNT
            settings.putAll(SandboxSettings.of(sandbox, sandbox.decoda("uptown")).properties());
            for (DemoFeed feed : FEEDS) {
                Path csv = work.resolve(feed.file());
                try (InputStream sample = DemoCommand.class.getResourceAsStream("/sample-data/" + feed.sample())) {
                    Files.copy(sample, csv);
                }
                settings.put("member-sync.feeds." + feed.name() + ".vendor", feed.account());
                settings.put("member-sync.feeds." + feed.name() + ".csv", csv.toString());
            }
            try (ConfigurableApplicationContext context = contexts.open(settings)) {
                SyncRunner runner = context.getBean(SyncRunner.class);
                RunOptions options = RunOptions.of(FEEDS.stream().map(DemoFeed::name).toList());

                System.out.println("== Pass 1: first sync of the sample feeds (every row is new) ==");
                int first = pass(runner, options, sandbox);

                System.out.println();
                System.out.println("== Changing a few rows ==");
                for (DemoFeed feed : FEEDS) {
                    for (Edit edit : feed.edits()) {
                        edit(work.resolve(feed.file()), edit);
                        System.out.printf(Locale.ROOT, "%s: %s %s -> %s = %s%n", feed.file(), edit.keyColumn(), edit.key(),
                                edit.column(), edit.value());
                    }
                }
                System.out.println();
                System.out.println("== Pass 2: only the changed rows are sent ==");
                int second = pass(runner, options, sandbox);
                return Math.max(first, second);
            }
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static int pass(SyncRunner runner, RunOptions options, SandboxServer sandbox) {
        List<VendorSandbox> accounts = sandbox.vendors().keySet().stream()
                .flatMap(vendor -> sandbox.accounts(vendor).stream()).toList();
        accounts.forEach(VendorSandbox::clearRequests);
        SyncRunner.RunResult result = runner.run(options);
        RunSummary.print(result, System.out);
        for (VendorSandbox vendor : accounts) {
            List<RecordedRequest> requests = vendor.requests();
            if (requests.isEmpty()) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%s received %d requests:%n", vendor.name().equals(vendor.account())
                    ? vendor.name() : vendor.name() + " account " + vendor.account(), requests.size());
            for (RecordedRequest r : requests) {
                System.out.printf(Locale.ROOT, "  %s %s -> %d %s%n", r.method(), r.path(), r.status(),
                        r.body() == null ? "" : r.body());
            }
        }
        return result.exitCode();
    }

    private static void edit(Path csv, Edit edit) throws IOException, CsvException {
        List<String[]> rows;
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVReader in = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build()).build()) {
            rows = in.readAll();
        }
        List<String> header = Arrays.asList(rows.getFirst());
        int keyColumn = header.indexOf(edit.keyColumn());
        int column = header.indexOf(edit.column());
        for (String[] row : rows.subList(1, rows.size())) {
            if (row.length > keyColumn && row[keyColumn].equals(edit.key())) {
                row[column] = edit.value();
            }
        }
        try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8); CSVWriter out = new CSVWriter(writer)) {
            out.writeAll(rows, false);
        }
    }
}
