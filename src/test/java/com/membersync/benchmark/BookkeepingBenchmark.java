package com.membersync.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.channel.ChannelObserver;
import com.membersync.channel.Exchange;
import com.membersync.channel.Expected;
import com.membersync.channel.RequestPacer;
import com.membersync.channel.VendorChannel;
import com.membersync.channel.VendorChannels;
import com.membersync.config.RateGroup;
import com.membersync.config.RateLimit;
import com.membersync.config.RatePolicy;
import com.membersync.config.AccountSettings;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.SyncFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/**
 * A busy night: 10,000 members synced before, all changed, delivered at 2,000 requests a second to the sandbox
 * without latency. How much of the delivery time goes to the state store's bookkeeping (each answer's outbox status
 * and cached state), against a baseline measured in the same run, after a warm-up as the run has one: the same
 * requests through the same channel (pacing, concurrency) with nothing recorded. Run with {@code ./mvnw -B verify -Pbookkeeping-benchmark}; {@code -Dbenchmark.rows=N}.
 */
class BookkeepingBenchmark {

    private static final int RATE = 2000;
    private static final int CONCURRENCY = 8;

    @Test
    void bookkeepingCostsLittleOfTheDeliveryAtTwoThousandAnswersASecond() throws Exception {
        int rows = Integer.getInteger("benchmark.rows", 10_000);

        channelOnly(rows); // a warm-up, as run() warms up with its first sync: the JIT compiles both before they count
        double baseline = channelOnly(rows);
        double delivery = run(rows);

        double cost = (delivery - baseline) / delivery;
        System.out.println();
        System.out.printf(Locale.ROOT, "== Bookkeeping benchmark: %,d changes at %,d/s, max-concurrency %d, sandbox without"
                + " latency, PostgreSQL ==%n", rows, RATE, CONCURRENCY);
        System.out.printf(Locale.ROOT, "channel only, nothing recorded: %6.2f s  (%,.0f answers/s)%n", baseline, rows / baseline);
        System.out.printf(Locale.ROOT, "member-sync run, deliver step:  %6.2f s  (%,.0f answers/s)%n", delivery, rows / delivery);
        System.out.printf(Locale.ROOT, "bookkeeping: %.1f %% of the delivery time (goal <= 10 %%): %s%n%n", 100 * cost,
                cost <= 0.10 ? "met" : "MISSED");
    }

    /**
     * The deliver step of a real run: from the first request the sandbox saw to the last. As on a busy night, the
     * members are synced already and every one of them changed.
     */
    private static double run(int rows) throws Exception {
        try (SyncFixture fixture = new SyncFixture("bookkeeping")) {
            Path csv = fixture.file("members.csv", SyncFixture.hangMembers("bk", rows));
            fixture.feed("members", "hang", csv);
            fixture.settings().put("member-sync.vendors.hang.rate-limit", RATE + "/s");
            fixture.settings().put("member-sync.vendors.hang.max-concurrency", CONCURRENCY);
            fixture.settings().put("member-sync.feeds.members.max-changes", "100%");
            assertThat(fixture.run("run").exitCode()).isZero();
            Files.writeString(csv, SyncFixture.hangMembers("bk", rows).replace("@example.com", "@example.org"));
            fixture.sandbox().hang().clearRequests();
            fixture.settings().put("logging.level.com.membersync.delivery.DeliveryRecorder", "DEBUG");

            CliRun run = fixture.run("run");

            assertThat(run.exitCode()).as(run.out()).isZero();
            return span(fixture.sandbox().hang().requests(), rows);
        }
    }

    /** Whatever JSON Hang answers: this baseline throws the answers away. */
    private static final Expected ANY_ANSWER = new Expected("any JSON", body -> true, body -> true);

    /** The same PATCHes through a channel of the same settings, answers thrown away. */
    private static double channelOnly(int rows) throws Exception {
        try (SyncFixture fixture = new SyncFixture("bookkeeping_baseline");
                VendorChannels channels = new VendorChannels(Clock.systemUTC(), RequestPacer.Sleeper.THREAD,
                        ChannelObserver.NONE, JsonMapper.builder().build(), null)) {
            URI base = fixture.sandbox().baseUrl("hang");
            RatePolicy rate = new RatePolicy.Fixed(RateLimit.parse(RATE + "/s"));
            AccountSettings settings = new AccountSettings("hang", "hang", base, "hang-sandbox-key", null, rate, "hang",
                    CONCURRENCY, Duration.ofSeconds(10), 5);
            VendorChannel channel = channels.channel(settings, new RateGroup("hang", rate, List.of("hang")),
                    "check the key");
            Semaphore slots = new Semaphore(CONCURRENCY);
            try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < rows; i++) {
                    int member = i;
                    slots.acquire();
                    requests.submit(() -> {
                        try {
                            Exchange answer = channel.send(HttpRequest.newBuilder(settings.endpoint(
                                            "/v2/program-memberships/bk" + member))
                                    .header("X-API-Key", "hang-sandbox-key").header("Content-Type", "application/json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString(
                                            "{\"external_user_id\":\"ext-" + member + "\",\"email\":\"member" + member
                                                    + "@example.com\"}")), ANY_ANSWER);
                            assertThat(answer).isInstanceOf(Exchange.Answered.class);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            slots.release();
                        }
                        return null;
                    });
                }
            }
            return span(fixture.sandbox().hang().requests(), rows);
        }
    }

    private static double span(List<RecordedRequest> requests, int rows) {
        assertThat(requests).hasSize(rows);
        List<Instant> at = requests.stream().map(RecordedRequest::at).sorted().toList();
        return Duration.between(at.getFirst(), at.getLast()).toNanos() / 1e9;
    }
}
