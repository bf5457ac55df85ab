package com.membersync.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.RecordedRequest;
import com.membersync.sandbox.SandboxServer;
import com.membersync.sandbox.VendorSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an integration test needs to run member-sync for real: its own PostgreSQL schema, the vendor sandbox
 * over HTTP, a folder for input files, and the settings that tie them together.
 */
public final class SyncFixture implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The rows the latest feed run has planned: committed with each block. */
    private static final String PLANNED = "SELECT read_count FROM feed_run ORDER BY feed_run_id DESC LIMIT 1";

    private final TestDatabase.Schema schema;
    private final SandboxServer sandbox;
    private final Path folder;
    private final Map<String, Object> settings = new LinkedHashMap<>();

    public SyncFixture(String name) throws IOException {
        this.schema = TestDatabase.newSchema(name);
        this.sandbox = SandboxServer.start(0);
        this.folder = Files.createTempDirectory("member-sync-" + name);
        settings.put("spring.datasource.url", schema.url());
        settings.put("spring.datasource.username", schema.username());
        settings.put("spring.datasource.password", schema.password());
        sandbox.vendors().forEach(this::pointAt);
    }

    public SandboxServer sandbox() {
        return sandbox;
    }

    public TestDatabase.Schema schema() {
        return schema;
    }

    public Path folder() {
        return folder;
    }

    /** The settings passed to every command; tests add feeds or override vendor settings here. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** Writes an input file (UTF-8) and returns its path. */
    public Path file(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** Declares a CSV feed. */
    public SyncFixture feed(String feed, String vendor, Path csv) {
        settings.put("member-sync.feeds." + feed + ".vendor", vendor);
        settings.put("member-sync.feeds." + feed + ".csv", csv.toString());
        return this;
    }

    /**
     * Declares account {@code name} at {@code vendor}, pointed at the sandbox's account {@code sandboxAccount} (its own
     * credentials and records there).
     */
    public SyncFixture account(String name, String vendor, String sandboxAccount) {
        VendorSandbox at = switch (vendor) {
            case "hang" -> sandbox.hang(sandboxAccount);
            case "decoda" -> sandbox.decoda(sandboxAccount);
            case "mayar" -> sandbox.mayar(sandboxAccount);
            default -> throw new IllegalArgumentException("no vendor " + vendor);
        };
        settings.put("member-sync.vendors." + name + ".type", vendor);
        pointAt(name, at);
        return this;
    }

    /** Points account {@code name} at the sandbox's account {@code at}: its base URL and credentials. */
    private void pointAt(String name, VendorSandbox at) {
        settings.put("member-sync.vendors." + name + ".base-url", sandbox.baseUrl(at.name()));
        at.credentials().forEach((k, v) -> settings.put("member-sync.vendors." + name + "." + k, v));
    }

    /** No rate limit to speak of, for tests of thousands of members whose subject is not the rate. */
    public SyncFixture unthrottled() {
        settings.put("member-sync.vendors.hang.rate-limit", "100000/s");
        settings.put("member-sync.vendors.hang.max-concurrency", 32);
        settings.put("member-sync.vendors.mayar.rate-limit", "6000/min");
        return this;
    }

    /** Rows planned so far by the latest feed run (0 before the schema exists), read as a run goes on. */
    public long planned() {
        try {
            Long n = schema.jdbc().queryForObject("SELECT COALESCE((" + PLANNED + "), 0)", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException notMigratedYet) {
            return 0;
        }
    }

    /**
     * Starts {@code run} as its own process and kills it (SIGKILL) while it plans: once at least {@code from} of the
     * input's {@code total} rows are planned. Returns the rows planned, that is committed, then.
     *
     * <p>The count is read under a lock on its row, held until the process is dead: the block that would add to it
     * waits for the lock, so planning cannot end between the look and the kill, however busy the machine.
     */
    public long killWhilePlanning(long from, long total, Duration timeout)
            throws IOException, InterruptedException, SQLException {
        MemberSyncProcess run = MemberSyncProcess.start(folder, settings, "run");
        try (Connection connection = DriverManager.getConnection(schema.url(), schema.username(), schema.password())) {
            connection.setAutoCommit(false);
            long[] planned = new long[1];
            assertThat(run.awaitOrExit(() -> {
                planned[0] = lockedPlanned(connection);
                if (planned[0] >= from && planned[0] < total) {
                    return true;
                }
                rollback(connection);
                return false;
            }, timeout)).as(run.output()).isTrue();
            run.kill();
            connection.rollback();
            return planned[0];
        }
    }

    private static long lockedPlanned(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet latest = statement.executeQuery(PLANNED + " FOR UPDATE")) {
            return latest.next() ? latest.getLong(1) : 0;
        } catch (SQLException notMigratedYet) {
            return 0;
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The row a query feed's rerun says it resumes after ({@code <feed>: resuming the query after row N}). */
    public static long resumedAfter(String feed, MemberSyncProcess rerun) {
        Matcher resumed = Pattern.compile(Pattern.quote(feed) + ": resuming the query after row (\\d+)")
                .matcher(rerun.output());
        assertThat(resumed.find()).as(rerun.output()).isTrue();
        return Long.parseLong(resumed.group(1));
    }

    /** The body of every write (not GET) a vendor received, by path: the last one per path. */
    public static Map<String, JsonNode> bodies(VendorSandbox vendor) {
        Map<String, JsonNode> bodies = new TreeMap<>();
        for (RecordedRequest r : vendor.requests()) {
            if (!r.method().equals("GET")) {
                bodies.put(r.path(), JSON.readTree(r.body()));
            }
        }
        return bodies;
    }

    /** A JSON object written as text, e.g. a record to seed a vendor with. */
    public static ObjectNode object(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** How many of {@code requests} went to each path: 1 everywhere means no member was sent twice. */
    public static Map<String, Long> perPath(List<RecordedRequest> requests) {
        return requests.stream()
                .collect(Collectors.groupingBy(RecordedRequest::path, TreeMap::new, Collectors.counting()));
    }

    /** A Hang CSV of {@code rows} members keyed {@code <prefix>0, <prefix>1, ...}, each with an id and an email. */
    public static String hangMembers(String prefix, int rows) {
        StringBuilder csv = new StringBuilder("program_membership_id,external_user_id,email\n");
        for (int i = 0; i < rows; i++) {
            csv.append(prefix).append(i).append(",ext-").append(i).append(",member").append(i).append("@example.com\n");
        }
        return csv.toString();
    }

    /** The most requests {@code vendor} accepted (429s aside) in any one-second window, wherever it starts. */
    public static int maxInOneSecond(VendorSandbox vendor) {
        return maxTogether(List.of(vendor), Duration.ofSeconds(1));
    }

    /**
     * The most requests these accounts accepted together (429s and impostors' answers aside) in any window of
     * {@code window}, wherever it starts: what a gateway limiting them together counts.
     */
    public static int maxTogether(List<? extends VendorSandbox> accounts, Duration window) {
        return maxInWindow(accounts.stream().flatMap(a -> a.requests().stream())
                .filter(r -> r.status() != 429 && !r.impostor()).map(RecordedRequest::at).sorted().toList(), window);
    }

    /** The most of these sorted instants in any window of {@code window}, wherever it starts. */
    public static int maxInWindow(List<Instant> sorted, Duration window) {
        int max = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (!sorted.get(start).plus(window).isAfter(sorted.get(end))) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    public CliRun run(String... command) {
        return CliRun.of(List.of(command), settings);
    }

    /** Runs {@code command} with {@code --report}, for its counts (see {@link ReportedRun}). */
    public ReportedRun report(String... command) {
        return ReportedRun.of(folder, settings, command);
    }

    @Override
    public void close() throws IOException {
        sandbox.close();
        schema.close();
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
