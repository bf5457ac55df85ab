package com.membersync.metrics;

import com.membersync.channel.ChannelObserver;
import com.membersync.channel.ChannelStats;
import com.membersync.channel.Timeline;
import com.membersync.config.AccountSettings;
import com.membersync.feed.FeedReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** What each gauge reads, held here and registered once (see {@link #gauge}). */
    private final Map<Meter.Id, Value> gauges = new ConcurrentHashMap<>();
    private final Clock clock;

    SyncMetrics(ObjectProvider<MeterRegistry> registries, Clock clock) {
        this.clock = clock;
        // Without actuator's auto-configuration there is no registry; the meters then go nowhere, but still work.
        this.registry = registries.getIfAvailable(SimpleMeterRegistry::new);
    }

    /**
     * Records a finished run: each feed's rows by outcome and duration, when each last ran to the end, then the run's
     * exit code.
     *
     * @param lastSuccess per feed, when it last completed (or, before it ever did, when it first ran)
     */
    public void recordRun(List<FeedReport> feeds, int exitCode, Map<String, Instant> lastSuccess,
            Map<String, ChannelStats> accounts) {
        recordAccounts(accounts);
        lastSuccess.forEach((feed, at) -> gauge("membersync.last_success.timestamp",
                "When the feed last ran to the end (before its first success: when it first ran)", Tags.of("feed", feed),
                "seconds").set(at.getEpochSecond()));
        for (FeedReport feed : feeds) {
            long[] counts = {feed.unchanged(), feed.synced(), feed.rejected(), feed.refused(), feed.failed(), feed.pending()};
            for (int i = 0; i < counts.length; i++) {
                // Every outcome is registered, zero included, so dashboards and alerts see the series exist.
                Counter.builder("membersync.rows").description("Rows read from a feed, by how they ended")
                        .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                        .tag("outcome", OUTCOMES.get(i))
                        .register(registry).increment(counts[i]);
            }
            Counter.builder("membersync.drift").description("Managed fields found changed at the vendor since the last sync")
                    .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                    .register(registry).increment(feed.drift());
            Counter.builder("membersync.absent").description("Members synced before and missing from the feed's input")
                    .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                    .register(registry).increment(feed.absent());
            Timer.builder("membersync.run.duration").description("How long a feed's sync took")
                    .tag("feed", feed.feed()).tag("vendor", feed.vendor()).tag("account", feed.account())
                    .register(registry).record(feed.duration());
        }
        // Registered once a run has finished, so a run that never got that far reports no exit code at all rather
        // than a misleading 0; later runs in the same process (the demo's) just update it.
        gauge("membersync.run.exit_code", "Exit code of the last finished run (0 ok, 1 failed, 2 rejections, 3 guarded)",
                Tags.empty(), null).set(exitCode);
    }

    /**
     * Per account: the limit its requests were paced at when the run ended (configured, or announced under
     * {@code auto}), the rate it reached while sending, and how long its rate-limit group was paused.
     */
    private void recordAccounts(Map<String, ChannelStats> accounts) {
        accounts.forEach((account, stats) -> {
            Tags tags = Tags.of("vendor", stats.vendor(), "account", account);
            List<Timeline.Second> seconds = stats.timeline().seconds();
            double limit = seconds.isEmpty() ? stats.group().pace().unannounced().perSecond()
                    : seconds.getLast().limitPerSecond();
            double rate = seconds.isEmpty() ? 0 : seconds.stream().mapToLong(Timeline.Second::requests).sum()
                    / (double) seconds.size();
            gauge("membersync.rate_limit", "Requests per second the account was paced at (configured or announced)",
                    tags.and("rate_group", stats.group().name()), null).set(limit);
            gauge("membersync.request_rate", "Requests per second the account sent, from its first to its last request",
                    tags, null).set(rate);
            Counter.builder("membersync.paused").description("Time the account's rate-limit group waited (429, budget used up)")
                    .baseUnit("seconds").tags(tags).register(registry)
                    .increment(seconds.stream().mapToLong(Timeline.Second::pausedMillis).sum() / 1000.0);
            // Registered at zero too, so a dashboard shows 0 for a quiet account rather than no data.
            rateLimited(tags);
            foreignAnswers(tags);
            retries(tags);
        });
    }

    /** What a {@code verify} found of one feed: members by result, and the drifted fields. */
    public record Verified(String feed, String vendor, String account, long checked, long inStep, long drifted,
            long notFound, long repaired, long driftedFields) {}

    /**
     * Records what a {@code verify} found, per feed, and when it ran. Pushed in a group of its own (see the command),
     * so it never replaces a run's series.
     */
    public void recordVerify(List<Verified> feeds) {
        for (Verified feed : feeds) {
            Tags tags = Tags.of("feed", feed.feed(), "vendor", feed.vendor(), "account", feed.account());
            Map<String, Long> results = Map.of("checked", feed.checked(), "in_step", feed.inStep(), "drifted",
                    feed.drifted(), "not_found", feed.notFound(), "repaired", feed.repaired());
            results.forEach((result, members) -> gauge("membersync.verify.members",
                    "Members a verify checked, by what it found", tags.and("result", result), "members").set(members));
            gauge("membersync.verify.drifted_fields", "Managed fields a verify found changed at the vendor", tags,
                    "fields").set(feed.driftedFields());
            gauge("membersync.verify.last.timestamp", "When the feed was last verified", tags, "seconds")
                    .set(clock.instant().getEpochSecond());
        }
    }

    /** What a gauge of this class reads: the value last set. */
    private static final class Value {
        private volatile double value;

        void set(double value) {
            this.value = value;
        }

        double get() {
            return value;
        }
    }

    /** A gauge holding a value this class sets; registered once, then only set. */
    private Value gauge(String name, String description, Tags tags, String unit) {
        return gauges.computeIfAbsent(new Meter.Id(name, tags, unit, description, Meter.Type.GAUGE), id -> {
            Value value = new Value();
            Gauge.builder(name, value, Value::get).description(description).tags(tags).baseUnit(unit)
                    .strongReference(true).register(registry);
            return value;
        });
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
        rateLimited(tags(account)).increment();
    }

    @Override
    public void foreignAnswer(AccountSettings account) {
        foreignAnswers(tags(account)).increment();
    }

    @Override
    public void retrying(AccountSettings account) {
        retries(tags(account)).increment();
    }

    private Counter rateLimited(Tags account) {
        return Counter.builder("membersync.rate_limited").description("429 answers; the account's rate-limit group waited")
                .tags(account).register(registry);
    }

    private Counter foreignAnswers(Tags account) {
        return Counter.builder("membersync.foreign_answers")
                .description("Answers that were not the vendor's (a proxy's page, an empty body, JSON of another shape)")
                .tags(account).register(registry);
    }

    private Counter retries(Tags account) {
        return Counter.builder("membersync.retries").description("Attempts retried after a 5xx, timeout or lost connection")
                .tags(account).register(registry);
    }

    /** The vendor and the account: the same account name at two vendors is two series. */
    private static Tags tags(AccountSettings account) {
        return Tags.of("vendor", account.vendor(), "account", account.account());
    }
}
