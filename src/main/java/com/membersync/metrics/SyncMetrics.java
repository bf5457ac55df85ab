package com.membersync.metrics;

import com.membersync.channel.ChannelObserver;
import com.membersync.config.AccountSettings;
import com.membersync.feed.FeedReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * member-sync's own meters, in the registry Spring Boot provides (Prometheus, pushed to a Pushgateway when the
 * context closes if {@code management.prometheus.metrics.export.pushgateway.enabled}). Tags are only ever feed
 * names, vendor and account names, outcomes and HTTP statuses: a bounded set, and never a member's key or data.
 */
@Component
public class SyncMetrics implements ChannelObserver {

    /** The outcomes a read row ends in; {@link FeedReport} counts each row in exactly one. */
    static final List<String> OUTCOMES = List.of("unchanged", "synced", "rejected", "refused", "failed", "pending");

    /** Buckets for request latency: enough for a quantile estimate without a full histogram per vendor. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    /** Held here: a gauge only keeps a weak reference to what it reads. */
    private final AtomicInteger exitCode = new AtomicInteger();
    private final AtomicBoolean exitCodeRegistered = new AtomicBoolean();
    private final Map<String, AtomicLong> lastSuccessSeconds = new ConcurrentHashMap<>();

    SyncMetrics(ObjectProvider<MeterRegistry> registries) {
        // Without actuator's auto-configuration there is no registry; the meters then go nowhere, but still work.
        this.registry = registries.getIfAvailable(SimpleMeterRegistry::new);
    }

    /**
     * Records a finished run: each feed's rows by outcome and duration, when each last ran to the end, then the run's
     * exit code.
     *
     * @param lastSuccess per feed, when it last completed (or, before it ever did, when it first ran)
     */
    public void recordRun(List<FeedReport> feeds, int exitCode, Map<String, Instant> lastSuccess) {
        lastSuccess.forEach((feed, at) -> lastSuccessSeconds.computeIfAbsent(feed, name -> {
            AtomicLong seconds = new AtomicLong();
            Gauge.builder("membersync.last_success.timestamp", seconds, AtomicLong::get).baseUnit("seconds")
                    .description("When the feed last ran to the end (before its first success: when it first ran)")
                    .tag("feed", name).strongReference(true).register(registry);
            return seconds;
        }).set(at.getEpochSecond()));
        for (FeedReport feed : feeds) {
            long[] counts = {feed.unchanged(), feed.synced(), feed.rejected(), feed.refused(), feed.failed(), feed.pending()};
            for (int i = 0; i < counts.length; i++) {
                // Every outcome is registered, zero included, so dashboards and alerts see the series exist.
                Counter.builder("membersync.rows").description("Rows read from a feed, by how they ended")
                        .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                        .tag("outcome", OUTCOMES.get(i))
                        .register(registry).increment(counts[i]);
            }
            Counter.builder("membersync.absent").description("Members synced before and missing from the feed's input")
                    .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                    .register(registry).increment(feed.absent());
            Timer.builder("membersync.run.duration").description("How long a feed's sync took")
                    .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                    .register(registry).record(feed.duration());
        }
        this.exitCode.set(exitCode);
        // Registered once a run has finished, so a run that never got that far reports no exit code at all rather
        // than a misleading 0; and only once, as later runs in the same process (the demo's) just update it.
        if (exitCodeRegistered.compareAndSet(false, true)) {
            Gauge.builder("membersync.run.exit_code", this.exitCode, AtomicInteger::get)
                    .description("Exit code of the last finished run (0 ok, 1 failed, 2 rejections, 3 guarded)")
                    .strongReference(true).register(registry);
        }
    }

    @Override
    public void attempted(AccountSettings account, String status, Duration elapsed) {
        Counter.builder("membersync.requests").description("HTTP attempts to a vendor account, by status or error")
                .tags(tags(account)).tag("status", status).register(registry).increment();
        Timer.builder("membersync.request.duration").description("Time of one HTTP attempt to a vendor account")
                .tags(tags(account)).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(elapsed);
    }

    @Override
    public void rateLimited(AccountSettings account) {
        Counter.builder("membersync.rate_limited").description("429 answers; the account's rate-limit group waited")
                .tags(tags(account)).register(registry).increment();
    }

    @Override
    public void foreignAnswer(AccountSettings account) {
        Counter.builder("membersync.foreign_answers")
                .description("Answers that were not the vendor's (a proxy's page, an empty body, JSON of another shape)")
                .tags(tags(account)).register(registry).increment();
    }

    @Override
    public void retrying(AccountSettings account) {
        Counter.builder("membersync.retries").description("Attempts retried after a 5xx, timeout or lost connection")
                .tags(tags(account)).register(registry).increment();
    }

    /** The vendor and the account: the same account name at two vendors is two series. */
    private static Tags tags(AccountSettings account) {
        return Tags.of("vendor", account.vendor(), "account", account.account());
    }
}
