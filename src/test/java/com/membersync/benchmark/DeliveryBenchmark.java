package com.membersync.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.SyncFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Delivery throughput against a vendor that enforces its rate limit itself over a sliding window:
 * <ul>
 * <li>a configured limit (50/s, latency 100 ms ± 50 %) at {@code max-concurrency} 16 versus the sequential
 * baseline (1);</li>
 * <li>{@code rate-limit: auto} behind a gateway that enforces 40 requests in any 1 s and announces only that, in
 * {@code X-RateLimit-*} headers, with 100 ms latency.</li>
 * </ul>
 * Run with {@code ./mvnw -B verify -Pdelivery-benchmark}; rows via {@code -Dbenchmark.rows=3000} (configured) and
 * {@code -Dbenchmark.autoRows=1500} (auto: 30 s and more at 40/s). Prints its figures; the assertions are the goals.
 */
class DeliveryBenchmark {

    /** One measured run: the vendor's enforced limit, what member-sync is told, and how the vendor answers. */
    record Scenario(String name, int enforced, String rateLimit, int concurrency, int rows, Duration minLatency,
            Duration maxLatency, boolean announced) {}

    record Figures(Scenario scenario, double seconds, double achievedRate, int maxInOneSecond, long tooMany,
            Duration sustained) {}

    @Test
    void fillsTheLimitWithoutEverExceedingIt() throws Exception {
        int rows = Integer.getInteger("benchmark.rows", 3000);
        int baselineRows = Integer.getInteger("benchmark.baselineRows", rows);
        int autoRows = Integer.getInteger("benchmark.autoRows", 1500);
        Duration jitterMin = Duration.ofMillis(50);
        Duration jitterMax = Duration.ofMillis(150);
        Duration latency = Duration.ofMillis(100);

        Figures auto = measure(new Scenario("rate-limit auto", 40, "auto", 16, autoRows, latency, latency, true));
        Figures configured = measure(new Scenario("rate-limit 50/s", 50, "50/s", 16, rows, jitterMin, jitterMax, false));
        Figures sequential = measure(new Scenario("rate-limit 50/s", 50, "50/s", 1, baselineRows, jitterMin, jitterMax, false));

        System.out.println();
        System.out.println("== Delivery benchmark: the sandbox enforces its limit over a sliding 1 s window ==");
        for (Figures f : List.of(auto, configured, sequential)) {
            Scenario s = f.scenario();
            System.out.printf(Locale.ROOT,
                    "%-16s max-concurrency %2d, %s, latency %d-%d ms: %5d rows in %6.1f s, %6.2f req/s = %5.1f %% of %d/s"
                            + " sustained over %.1f s, max %d requests in any 1 s window, %d x 429%n",
                    s.name(), s.concurrency(), s.announced() ? "limit announced only in X-RateLimit-*" : "limit configured",
                    s.minLatency().toMillis(), s.maxLatency().toMillis(), s.rows(), f.seconds(), f.achievedRate(),
                    100 * f.achievedRate() / s.enforced(), s.enforced(), f.sustained().toMillis() / 1000.0,
                    f.maxInOneSecond(), f.tooMany());
        }
        System.out.printf(Locale.ROOT, "speed-up of the configured limit over the sequential baseline: %.1fx%n",
                configured.achievedRate() / sequential.achievedRate());
        System.out.printf(Locale.ROOT, "goal for auto: >= 95 %% of 40/s over >= 30 s, zero 429: %s%n%n",
                auto.achievedRate() / 40 >= 0.95 && auto.sustained().toSeconds() >= 30 && auto.tooMany() == 0 ? "met" : "MISSED");

        for (Figures f : List.of(auto, configured)) {
            assertThat(f.tooMany()).as(f.scenario().name()).isZero();
            assertThat(f.maxInOneSecond()).as(f.scenario().name()).isLessThanOrEqualTo(f.scenario().enforced());
            assertThat(f.achievedRate() / f.scenario().enforced()).as(f.scenario().name()).isGreaterThanOrEqualTo(0.95);
        }
        assertThat(configured.sustained()).isGreaterThanOrEqualTo(Duration.ofSeconds(rows >= 3000 ? 55 : 1));
        assertThat(auto.sustained()).isGreaterThanOrEqualTo(Duration.ofSeconds(autoRows >= 1500 ? 30 : 1));
    }

    private Figures measure(Scenario scenario) throws Exception {
        try (SyncFixture fixture = new SyncFixture("bench" + scenario.concurrency() + scenario.enforced())) {
            fixture.feed("members", "hang", fixture.file("members.csv", SyncFixture.hangMembers("bm", scenario.rows())));
            fixture.settings().put("member-sync.vendors.hang.rate-limit", scenario.rateLimit());
            fixture.settings().put("member-sync.vendors.hang.max-concurrency", scenario.concurrency());
            fixture.sandbox().hang().behaviour().rateLimit(scenario.enforced(), Duration.ofSeconds(1))
                    .announceRateLimit(scenario.announced())
                    .latency(scenario.minLatency(), scenario.maxLatency());

            long started = System.nanoTime();
            CliRun run = fixture.run("run");
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(run.exitCode()).as(run.out()).isZero();

            List<RecordedRequest> requests = fixture.sandbox().hang().requests();
            List<Instant> accepted = requests.stream().filter(r -> r.status() == 200).map(RecordedRequest::at).sorted().toList();
            long tooMany = requests.stream().filter(r -> r.status() == 429).count();
            Duration span = Duration.between(accepted.getFirst(), accepted.getLast());
            double rate = (accepted.size() - 1) / (span.toNanos() / 1e9);
            return new Figures(scenario, seconds, rate, SyncFixture.maxInWindow(accepted, Duration.ofSeconds(1)), tooMany, span);
        }
    }
}
