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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics of a real run reach a Prometheus Pushgateway (a fake one here, recording what it is sent) when
 * the command ends, and only when one is configured.
 */
class MetricsIntegrationTests {

    private static final String PUSHGATEWAY = "management.prometheus.metrics.export.pushgateway.";
    private static final Path ALERTS = Path.of("k8s", "monitoring", "alerts.yaml");

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
