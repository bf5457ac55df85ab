package com.membersync.channel;

import com.membersync.channel.RateLimitHeaders.Budget;
import com.membersync.config.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code rate-limit: auto}: paces a vendor by the budget its answers announce in {@code X-RateLimit-*}.
 *
 * <ul>
 * <li>The pace is the announced limit over its window, evenly spaced: safe under a fixed window and a sliding one
 * alike. The window is not announced; it is the longest reset seen, rounded up to whole seconds (a reset never
 * lies further ahead than one window; whole epoch seconds may overstate it by one). A new limit takes effect with the
 * next request.</li>
 * <li>When an answer says that less is left than that pace would send before a reset that comes sooner than a whole
 * window (someone else used part of a fixed window), what is left is spread evenly until the reset. Requests sent
 * after the one answered are not yet counted by the vendor, so they are subtracted.</li>
 * <li>{@code auto, at most N/s} never paces faster than the operator's ceiling.</li>
 * <li>A 429 all the same means the vendor counts our requests closer together than we sent them (a busy machine,
 * the network): each one widens the window by {@value #WIDEN_PERCENT} %, up to {@value #MAX_WIDEN_PERCENT} %.</li>
 * </ul>
 */
final class AnnouncedLimit {

    /** A reset this close to a whole window is read as the window itself (epoch rounding, network time). */
    private static final Duration TOLERANCE = Duration.ofMillis(50);

    static final int WIDEN_PERCENT = 2;
    static final int MAX_WIDEN_PERCENT = 10;

    private final Optional<RateLimit> ceiling;
    private final RequestPacer pacer;
    private Duration window = Duration.ZERO;
    private RateLimit pace;
    private int announcedLimit;
    private int widenedPercent;
    /** The first request sent at the current pace. */
    private long pacedFrom;
    private long newestAnswered = -1;

    AnnouncedLimit(Optional<RateLimit> ceiling, RequestPacer pacer) {
        this.ceiling = ceiling;
        this.pacer = pacer;
    }

    /**
     * Learns from the answer to request {@code number}, which left at {@code departed}; {@code refused} when it was
     * a 429.
     *
     * @return the new pace, when it changed
     */
    synchronized Optional<RateLimit> learn(Budget budget, long number, Instant departed, boolean refused) {
        if (refused && announcedLimit == budget.limit() && number >= pacedFrom) {
            // refused although sent at the pace of the limit it announces, not before the vendor lowered it
            widenedPercent = Math.min(MAX_WIDEN_PERCENT, widenedPercent + WIDEN_PERCENT);
        }
        announcedLimit = budget.limit();
        Duration seconds = Duration.ofSeconds(Math.max(1,
                (budget.reset().minus(budget.overstated()).minus(TOLERANCE).toMillis() + 999) / 1000));
        if (seconds.compareTo(window) > 0) {
            window = seconds;
        }
        RateLimit announced = new RateLimit(budget.limit(), window.plus(window.multipliedBy(widenedPercent).dividedBy(100)));
        RateLimit next = ceiling.filter(c -> c.perSecond() < announced.perSecond()).orElse(announced);
        Optional<RateLimit> changed = Optional.empty();
        if (!next.equals(pace)) {
            pace = next;
            pacer.limit(next);
            pacedFrom = pacer.departed();
            changed = Optional.of(next);
        }
        // Only the freshest answer speaks for the budget; one overtaken by a later request's answer is stale.
        if (number > newestAnswered) {
            newestAnswered = number;
            // A reset known to a second says nothing about when a budget of one second comes back.
            boolean precise = !budget.coarse() || window.compareTo(Duration.ofSeconds(10)) >= 0;
            if (precise && budget.reset().plus(TOLERANCE).compareTo(window) < 0) {
                long left = budget.remaining() - pacer.sentSince(number);
                double atPace = budget.reset().toNanos() * next.perSecond() / 1e9;
                if (left < atPace) {
                    pacer.spread(departed.plus(budget.reset()), left);
                }
            }
        }
        return changed;
    }
}
