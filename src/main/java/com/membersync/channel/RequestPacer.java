package com.membersync.channel;

import com.membersync.config.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out request slots spaced evenly at {@code window / permits} (plus a small margin), so that no window of
 * the limit's length, wherever it starts, ever holds more than {@code permits} requests. A fixed-cycle limiter
 * would let up to twice the limit through a sliding window at the cycle boundary.
 *
 * <p>Slots are planned, but threads wake late now and then (scheduling, GC). So the pacer also remembers when
 * the last {@code permits} requests really left, and never lets one go before the oldest of them plus the window:
 * a late request cannot bunch up with the ones after it inside the vendor's window.
 *
 * <p>A 429 pauses the whole vendor: {@link #pauseUntil} pushes every later slot past the vendor's reset time. Under
 * {@code rate-limit: auto} the limit changes with what the vendor announces ({@link #limit}), and a budget announced
 * until a reset is spread evenly over the time left ({@link #spread}).
 */
public final class RequestPacer {

    /** Slots are stretched by this much so that a request sent slightly late cannot bunch up with the next one. */
    static final double SAFETY_MARGIN = 0.03;

    private final Clock clock;
    private final Sleeper sleeper;
    // All below guarded by this; the sleep between slots happens outside it, so an answer can re-pace meanwhile.
    private long intervalNanos;
    private Duration window;
    /** When the last {@code permits} requests really left, oldest first (a ring). */
    private Instant[] departures;
    private int oldest;
    private long departed;
    private Instant nextSlot = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;
    private Instant spreadUntil = Instant.MIN;
    private long spreadIntervalNanos;
    /** One caller at a time waits for the next slot; the others queue behind it in arrival order. */
    private final ReentrantLock turn = new ReentrantLock(true);

    public RequestPacer(RateLimit limit, Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.departures = new Instant[0];
        limit(limit);
    }

    /**
     * Blocks until this caller may send one request.
     *
     * @return the request's number, counting from 0, for {@link #sentSince}
     */
    public long acquire() throws InterruptedException {
        turn.lockInterruptibly();
        try {
            while (true) {
                Instant now = clock.instant();
                Instant slot;
                synchronized (this) {
                    Instant oldestDeparture = departures[oldest];
                    slot = latest(latest(nextSlot, pausedUntil),
                            oldestDeparture == null ? Instant.MIN : oldestDeparture.plus(window));
                    if (!slot.isAfter(now)) {
                        departures[oldest] = now;
                        oldest = (oldest + 1) % departures.length;
                        // From the planned slot when woken a little late, so that wake-up delays do not add up
                        // (the departures ring still keeps late ones from bunching); from now after a quiet spell.
                        Instant base = slot.isAfter(now.minusNanos(intervalNanos)) ? slot : now;
                        nextSlot = base.plusNanos(intervalNanos);
                        if (now.isBefore(spreadUntil)) {
                            // The announced budget until the reset, but no later than the reset plus the usual gap.
                            Instant spread = now.plusNanos(spreadIntervalNanos);
                            Instant afterReset = latest(nextSlot, spreadUntil);
                            nextSlot = latest(nextSlot, spread.isBefore(afterReset) ? spread : afterReset);
                        }
                        return departed++;
                    }
                }
                // Re-checked after the sleep: a 429 or a new limit may have changed the slot meanwhile.
                sleeper.sleep(Duration.between(now, slot));
            }
        } finally {
            turn.unlock();
        }
    }

    /** How many requests have left so far; the next one gets this number. */
    public synchronized long departed() {
        return departed;
    }

    /** How many requests left after request {@code number} (from {@link #acquire}). */
    public synchronized long sentSince(long number) {
        return Math.max(0, departed - number - 1);
    }

    /** No request before {@code until}: the vendor asked us to wait. */
    public synchronized void pauseUntil(Instant until) {
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    /** From now on at most {@code limit.permits()} requests in any {@code limit.window()}. */
    public synchronized void limit(RateLimit limit) {
        long previous = intervalNanos;
        intervalNanos = (long) Math.ceil(limit.window().toNanos() * (1 + SAFETY_MARGIN) / limit.permits());
        if (!nextSlot.equals(Instant.MIN)) {
            // The slot already planned is one old gap after the last request: make it one new gap.
            nextSlot = nextSlot.minusNanos(previous).plusNanos(intervalNanos);
        }
        window = Duration.ofNanos((long) Math.ceil(limit.window().toNanos() * (1 + SAFETY_MARGIN)));
        if (departures.length != limit.permits()) {
            // Keep the latest departures that fit, at the ring's end in order, so the new window still counts them;
            // the free places before them are the next to fill.
            Instant[] ring = new Instant[limit.permits()];
            int keep = Math.min(ring.length, departures.length);
            for (int i = 0; i < keep; i++) {
                ring[ring.length - keep + i] = departures[(oldest + departures.length - keep + i) % departures.length];
            }
            departures = ring;
            oldest = 0;
        }
    }

    /**
     * At most {@code requests} more before {@code until}, spaced evenly over the time left; none at all when
     * {@code requests} is 0.
     */
    public synchronized void spread(Instant until, long requests) {
        if (requests <= 0) {
            pauseUntil(until);
            return;
        }
        Duration left = Duration.between(clock.instant(), until);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        spreadUntil = until;
        spreadIntervalNanos = (long) Math.ceil(left.toNanos() * (1 + SAFETY_MARGIN) / requests);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public synchronized Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** Waiting, injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper THREAD = duration -> Thread.sleep(duration);
    }
}
