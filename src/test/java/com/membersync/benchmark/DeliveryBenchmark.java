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
 * Delivery throughput against a vendor that enforces its rate limit itself over a sliding window, with
 * 100 ms ± 50 % latency: member-sync at {@code max-concurrency} 16 versus the sequential baseline (1).
 * Run with {@code ./mvnw -B verify -Pdelivery-benchmark}; rows via {@code -Dbenchmark.rows=3000}.
 * Prints its figures; the assertions are the goals.
 */
class DeliveryBenchmark {

    private static final int RATE = 50;

    record Figures(int concurrency, int rows, double seconds, double achievedRate, int maxInOneSecond, long tooMany,
            Duration sustained) {}

    @Test
    void fillsTheConfiguredRateWithoutEverExceedingIt() throws Exception {
        int rows = Integer.getInteger("benchmark.rows", 3000);
        int baselineRows = Integer.getInteger("benchmark.baselineRows", rows);

        Figures concurrent = measure(16, rows);
        Figures sequential = measure(1, baselineRows);

        double speedUp = concurrent.achievedRate() / sequential.achievedRate();
        System.out.println();
        System.out.println("== Delivery benchmark: " + RATE + "/s limit enforced by the sandbox over a sliding 1 s window, latency 50-150 ms ==");
        for (Figures f : List.of(concurrent, sequential)) {
            System.out.printf(Locale.ROOT,
                    "max-concurrency %2d: %5d rows in %6.1f s, %6.2f req/s = %5.1f %% of %d/s, max %d requests in any 1 s window, %d x 429%n",
                    f.concurrency(), f.rows(), f.seconds(), f.achievedRate(), 100 * f.achievedRate() / RATE, RATE,
                    f.maxInOneSecond(), f.tooMany());
        }
        System.out.printf(Locale.ROOT, "speed-up over the sequential baseline: %.1fx%n%n", speedUp);

        assertThat(concurrent.tooMany()).isZero();
        assertThat(concurrent.maxInOneSecond()).isLessThanOrEqualTo(RATE);
        assertThat(concurrent.achievedRate() / RATE).isGreaterThanOrEqualTo(0.95);
        assertThat(concurrent.sustained()).isGreaterThanOrEqualTo(Duration.ofSeconds(rows >= 3000 ? 55 : 1));
    }

    private Figures measure(int concurrency, int rows) throws Exception {
        try (SyncFixture fixture = new SyncFixture("bench" + concurrency)) {
            StringBuilder csv = new StringBuilder("program_membership_id,external_user_id,email\n");
            for (int i = 0; i < rows; i++) {
                csv.append("bm").append(i).append(",ext-").append(i).append(",member").append(i).append("@example.com\n");
            }
            fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
            fixture.settings().put("member-sync.vendors.hang.rate-limit", RATE + "/s");
            fixture.settings().put("member-sync.vendors.hang.max-concurrency", concurrency);
            fixture.sandbox().hang().behaviour().rateLimit(RATE, Duration.ofSeconds(1))
                    .latency(Duration.ofMillis(50), Duration.ofMillis(150));

            long started = System.nanoTime();
            CliRun run = fixture.run("run");
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(run.exitCode()).as(run.out()).isZero();

            List<RecordedRequest> requests = fixture.sandbox().hang().requests();
            List<Instant> accepted = requests.stream().filter(r -> r.status() == 200).map(RecordedRequest::at).sorted().toList();
            long tooMany = requests.stream().filter(r -> r.status() == 429).count();
            Duration span = Duration.between(accepted.getFirst(), accepted.getLast());
            double rate = (accepted.size() - 1) / (span.toNanos() / 1e9);
            return new Figures(concurrency, rows, seconds, rate, maxInWindow(accepted, Duration.ofSeconds(1)), tooMany, span);
        }
    }

    /** The most arrivals in any window of {@code window}, wherever it starts. */
    static int maxInWindow(List<Instant> sorted, Duration window) {
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
}
