package com.membersync.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.membersync.sandbox.SandboxBehaviour.Fault;
import com.membersync.support.CliRun;
import com.membersync.support.SyncFixture;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metrics of a real run reach a Prometheus Pushgateway (a fake one here, recording what it is sent) when
 * the command ends, and only when one is configured.
 */
class MetricsIntegrationTests {

    private static final String PUSHGATEWAY = "management.prometheus.metrics.export.pushgateway.";
    private static final Path ALERTS = Path.of("k8s", "monitoring", "alerts.yaml");
    private static final Path DASHBOARD = Path.of("k8s", "monitoring", "member-sync-dashboard.json");
    /** Labels the Pushgateway gives every series it holds: the job, and the instance (empty unless grouped by it). */
    private static final Set<String> PUSHGATEWAY_LABELS = Set.of("job", "instance");

    /** One request the fake Pushgateway received. */
    record Push(String method, String path, String contentType, String body) {}

    private SyncFixture fixture;
    private HttpServer gateway;
    private final List<Push> pushes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            try (exchange) {
                pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        gateway.start();
        fixture = new SyncFixture("metrics");
        fixture.feed("members", "hang", fixture.file("members.csv", """
                program_membership_id,first_name,email
                m1,Joe,joe.smith@example.com
                m2,Ana,ana@example.com
                m3,Wei,
                """));
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", 1);
        fixture.settings().put(PUSHGATEWAY + "address", "127.0.0.1:" + gateway.getAddress().getPort());
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.stop(0);
        fixture.close();
    }

    @Test
    void aRunPushesItsRowsRequestsRateLimitsAndRetriesWhenTheCommandEnds() throws IOException {
        fixture.settings().put(PUSHGATEWAY + "enabled", true);
        fixture.settings().put(PUSHGATEWAY + "format", "text"); // readable here; the default protobuf carries the same
        // first request: 429 (waited out, not retried), second: 503 (retried), then the vendor answers normally
        fixture.sandbox().hang().behaviour().failNext(1, Fault.TOO_MANY_REQUESTS).failNext(1, Fault.SERVER_ERROR);

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        // Boot also POSTs every push-rate (1m) from the start, so a long run shows progress; the last push is the
        // one on close, a PUT that replaces the job's metrics of the previous run.
        assertThat(pushes).extracting(Push::path).isNotEmpty().containsOnly("/metrics/job/member-sync");
        Push push = pushes.getLast();
        assertThat(push.method()).isEqualTo("PUT");
        assertThat(push.contentType()).startsWith("text/plain");
        String body = push.body();
        Map<String, String> members = Map.of("application", "member-sync", "feed", "members", "vendor", "hang");
        assertThat(value(body, "membersync_rows_total", with(members, "outcome", "synced"))).isEqualTo(3);
        assertThat(value(body, "membersync_rows_total", with(members, "outcome", "unchanged"))).isZero();
        assertThat(value(body, "membersync_rows_total", with(members, "outcome", "failed"))).isZero();
        Map<String, String> hang = Map.of("vendor", "hang");
        assertThat(value(body, "membersync_requests_total", with(hang, "status", "429"))).isEqualTo(1);
        assertThat(value(body, "membersync_requests_total", with(hang, "status", "503"))).isEqualTo(1);
        assertThat(value(body, "membersync_requests_total", with(hang, "status", "200"))).isEqualTo(3);
        assertThat(value(body, "membersync_rate_limited_total", hang)).isEqualTo(1);
        assertThat(value(body, "membersync_retries_total", hang)).isEqualTo(1);
        assertThat(value(body, "membersync_request_duration_seconds_count", hang)).isEqualTo(5);
        assertThat(value(body, "membersync_run_duration_seconds_count", Map.of("feed", "members"))).isEqualTo(1);
        assertThat(value(body, "membersync_run_exit_code", Map.of())).isZero();
        Map<String, String> account = Map.of("vendor", "hang", "account", "hang");
        assertThat(value(body, "membersync_rows_total", with(account, "outcome", "synced"))).isEqualTo(3);
        assertThat(value(body, "membersync_rate_limit", with(account, "rate_group", "hang")))
                .isEqualTo(10);
        assertThat(value(body, "membersync_request_rate", account)).isPositive();
        assertThat(value(body, "membersync_paused_seconds_total", account)).as("the 429's Retry-After").isPositive();
        assertThat(value(body, "membersync_drift_total", Map.of("feed", "members", "account", "hang"))).isZero();
        assertThat(value(body, "membersync_last_success_timestamp_seconds", Map.of("feed", "members")))
                .isCloseTo(Instant.now().getEpochSecond(), within(60.0));
        // every metric the shipped alert rules ask for is one a run pushes
        Matcher used = Pattern.compile("membersync_[a-z_]+").matcher(Files.readString(ALERTS));
        while (used.find()) {
            assertThat(body).as("alerts.yaml asks for %s", used.group()).containsPattern("(?m)^" + used.group() + "[{ ]");
        }
        // tags carry feed and vendor names, never a member's key or data
        assertThat(body.lines().filter(line -> line.startsWith("membersync_")))
                .noneMatch(line -> line.contains("m1") || line.contains("Joe") || line.contains("example.com"));
    }

    @Test
    void aVerifyPushesWhatItFoundInAGroupOfItsOwnLeavingTheRunsSeries() {
        fixture.settings().put(PUSHGATEWAY + "enabled", true);
        fixture.settings().put(PUSHGATEWAY + "format", "text");
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.sandbox().hang().edit("m2", SyncFixture.object("{\"email\": \"someone@else.example\"}"));
        pushes.clear();

        CliRun verify = fixture.run("verify");

        assertThat(verify.exitCode()).as(verify.out()).isEqualTo(4);
        assertThat(pushes).extracting(Push::path).containsOnly("/metrics/job/member-sync/command/verify");
        String body = pushes.getLast().body();
        Map<String, String> members = Map.of("feed", "members", "account", "hang");
        assertThat(value(body, "membersync_verify_members", with(members, "result", "drifted"))).isEqualTo(1);
        assertThat(value(body, "membersync_verify_members", with(members, "result", "checked"))).isEqualTo(3);
        assertThat(value(body, "membersync_verify_last_timestamp_seconds", members))
                .isCloseTo(Instant.now().getEpochSecond(), within(60.0));
    }

    @Test
    void everyQueryOfTheShippedDashboardAsksForMetricsAndLabelsThatARunAndAVerifyPush() throws IOException {
        // given what a run and then a verify push (with a 429, a retry and drift, so nothing is left out)
        fixture.settings().put(PUSHGATEWAY + "enabled", true);
        fixture.settings().put(PUSHGATEWAY + "format", "text");
        fixture.sandbox().hang().behaviour().failNext(1, Fault.TOO_MANY_REQUESTS).failNext(1, Fault.SERVER_ERROR);
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.sandbox().hang().edit("m2", SyncFixture.object("{\"email\": \"someone@else.example\"}"));
        assertThat(fixture.run("verify").exitCode()).isEqualTo(4);
        Map<String, Map<String, Set<String>>> pushed = pushedSeries();

        // when
        List<DashboardQuery> queries = dashboardQueries();

        // then every metric, label, label value and function they name is one that was pushed or exists
        assertThat(queries).as("the dashboard's queries").hasSizeGreaterThan(10);
        Set<String> anyLabel = pushed.values().stream().flatMap(labels -> labels.keySet().stream()).collect(Collectors.toSet());
        for (DashboardQuery query : queries) {
            String where = query.where();
            PromQl.Expression expr = PromQl.parse(query.expr());
            assertThat(PromQl.FUNCTIONS).as("%s: functions of %s", where, query.expr()).containsAll(expr.functions());
            Set<String> labelsOfItsMetrics = new HashSet<>(PUSHGATEWAY_LABELS);
            for (PromQl.Selector selector : expr.selectors()) {
                assertThat(pushed).as("%s asks for %s, which no run or verify pushes", where, selector.metric())
                        .containsKey(selector.metric());
                Map<String, Set<String>> labels = pushed.get(selector.metric());
                labelsOfItsMetrics.addAll(labels.keySet());
                for (PromQl.LabelMatcher m : selector.matchers()) {
                    boolean negative = m.op().startsWith("!");
                    assertThat(negative ? anyLabel : labels.keySet()).as("%s: label %s of %s", where, m.label(),
                            selector.metric()).contains(m.label());
                    if (m.op().equals("=") && !m.value().contains("$")) {
                        assertThat(labels.get(m.label())).as("%s: %s=\"%s\" of %s", where, m.label(), m.value(),
                                selector.metric()).contains(m.value());
                    }
                }
            }
            assertThat(labelsOfItsMetrics).as("%s groups by", where).containsAll(expr.groupedBy());
            Set<String> legendLabels = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(query.legend()).results()
                    .map(r -> r.group(1)).collect(Collectors.toSet());
            assertThat(expr.groupedBy().isEmpty() ? labelsOfItsMetrics : expr.groupedBy())
                    .as("%s: legend %s", where, query.legend()).containsAll(legendLabels);
        }
    }

    /** Per metric of the last run's and the last verify's push, its labels (the grouping key's too) and their values. */
    private Map<String, Map<String, Set<String>>> pushedSeries() {
        Map<String, Map<String, Set<String>>> series = new TreeMap<>();
        Map<String, Push> lastPerGroup = new TreeMap<>();
        pushes.forEach(push -> lastPerGroup.put(push.path(), push));
        assertThat(lastPerGroup).containsOnlyKeys("/metrics/job/member-sync", "/metrics/job/member-sync/command/verify");
        lastPerGroup.forEach((path, push) -> {
            String[] key = path.substring("/metrics/".length()).split("/");
            PromQl.exposition(push.body()).forEach((metric, labels) -> {
                Map<String, Set<String>> all = series.computeIfAbsent(metric, m -> new TreeMap<>());
                labels.forEach((label, values) -> all.computeIfAbsent(label, l -> new TreeSet<>()).addAll(values));
                for (int i = 0; i + 1 < key.length; i += 2) {
                    all.computeIfAbsent(key[i], l -> new TreeSet<>()).add(key[i + 1]);
                }
            });
        });
        return series;
    }

    /** A query of the dashboard: where it is ({@code panel "Title" A}, {@code variable feed}), its PromQL and legend. */
    record DashboardQuery(String where, String expr, String legend) {}

    private static List<DashboardQuery> dashboardQueries() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        List<DashboardQuery> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                queries.add(new DashboardQuery("variable " + variable.path("name").asString(),
                        variable.path("definition").asString(), ""));
            }
        }
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new DashboardQuery("panel \"" + panel.path("title").asString() + "\" "
                        + target.path("refId").asString(), target.path("expr").asString(),
                        target.path("legendFormat").asString("")));
            }
        }
        return queries;
    }

    @Test
    void withoutAPushgatewayNothingIsPushedAndTheRunSucceeds() {
        CliRun run = fixture.run("run"); // the address alone does not push: enabled stays false by default

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(fixture.sandbox().hang().memberships()).hasSize(3);
        assertThat(pushes).isEmpty();
    }

    @Test
    void aPushgatewayThatIsDownDoesNotFailTheRun() throws IOException {
        int port;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        fixture.settings().put(PUSHGATEWAY + "enabled", true);
        fixture.settings().put(PUSHGATEWAY + "address", "127.0.0.1:" + port);

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(fixture.sandbox().hang().memberships()).hasSize(3);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        var all = new HashMap<>(labels);
        all.put(name, value);
        return all;
    }

    /** The value of the one sample of {@code metric} carrying all these labels, in the text exposition format. */
    private static double value(String body, String metric, Map<String, String> labels) {
        List<String> samples = body.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> labels.entrySet().stream()
                        .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .toList();
        assertThat(samples).as("%s%s in%n%s", metric, labels, body).hasSize(1);
        String sample = samples.getFirst();
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
