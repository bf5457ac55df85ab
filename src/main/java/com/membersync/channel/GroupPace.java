package com.membersync.channel;

import com.membersync.config.RateGroup;
import com.membersync.config.RateLimit;
import com.membersync.config.RatePolicy;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pace of one rate-limit group in this process: every request of the group's accounts takes a slot of its
 * {@link RequestPacer}, so that accounts sharing a budget never exceed it together; with a {@link SlotLedger}, neither
 * do the group's requests from other processes.
 */
final class GroupPace {

    private static final Logger log = LoggerFactory.getLogger(GroupPace.class);
    /** Under {@code rate-limit: auto}, before any answer announced a limit: cautious, and only after the first one. */
    private static final RateLimit AUTO_START = new RateLimit(1, Duration.ofSeconds(1));

    private final RateGroup group;
    private final Clock clock;
    private final RequestPacer pacer;
    private final RateLimitHeaders headers;
    /** Learns the pace from the vendor's headers under {@code rate-limit: auto}; null for a fixed limit. */
    private final AnnouncedLimit announced;
    private volatile boolean learned;

    /** @param ledger the group's slots shared with other processes, or null where nothing is shared */
    GroupPace(RateGroup group, Clock clock, RequestPacer.Sleeper sleeper, SlotLedger ledger) {
        this.group = group;
        this.clock = clock;
        this.headers = new RateLimitHeaders(clock);
        this.pacer = new RequestPacer(group.pace() instanceof RatePolicy.Fixed fixed ? fixed.limit() : AUTO_START, clock,
                sleeper, ledger, group.name());
        this.announced = group.pace() instanceof RatePolicy.Auto auto ? new AnnouncedLimit(auto.ceiling(), pacer) : null;
        if (group.accounts().size() > 1) {
            log.info("rate-limit group {}: accounts {} share {}, the lowest of their limits{}", group.name(),
                    String.join(", ", group.accounts()), group.pace(), ledger == null ? "" : ", with every process on"
                    + " this state store");
        }
    }

    RateGroup group() {
        return group;
    }

    /** Says how many shared slots were given up, when some were: the machine was too busy to send on time. */
    void close() {
        RequestPacer.SharedSlots slots = pacer.sharedSlots();
        if (slots.missed() > 0) {
            log.info("rate-limit group {}: {} of the {} request slots reserved were given up, woken too late for them"
                    + " (a busy machine)", group.name(), slots.missed(), slots.reserved());
        }
    }

    RequestPacer pacer() {
        return pacer;
    }

    RateLimitHeaders headers() {
        return headers;
    }

    /**
     * Learns from an answer to request {@code number}, which left at {@code departed}: under {@code auto} the budget
     * it announces decides, {@code Remaining: 0} included (a sliding window's comes back request by request, not all
     * at the reset); with a fixed limit, {@code Remaining: 0} makes the group wait for the reset.
     *
     * @return how long the group now waits, when the answer said its budget is used up
     */
    Optional<Duration> learn(HttpHeaders answer, int status, long number, Instant departed) {
        if (announced == null) {
            Optional<Duration> exhausted = headers.exhausted(answer);
            exhausted.ifPresent(wait -> pacer.pauseUntil(clock.instant().plus(wait)));
            return exhausted;
        }
        Optional<RateLimitHeaders.Budget> budget = headers.budget(answer);
        if (budget.isPresent()) {
            announced.learn(budget.get(), number, departed, status == 429).ifPresent(pace -> log.info(
                    "{}: rate-limit {}: the vendor announces {} requests per {} s; pacing at {}", group.name(),
                    group.pace(), budget.get().limit(), pace.window().toSeconds(), pace));
            learned = true;
        } else if (!learned && status < 500) {
            // A 5xx may come from a proxy in front of the vendor, and does not count.
            learned = true;
            RateLimit fallback = group.pace().unannounced();
            pacer.limit(fallback);
            log.warn("{}: rate-limit {}: the vendor's answers carry no X-RateLimit-Limit/-Remaining/-Reset; pacing at {};"
                    + " set member-sync.vendors.{}.rate-limit to choose", group.name(), group.pace(), fallback,
                    String.join("|", group.accounts()));
        }
        return Optional.empty();
    }
}
