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
 * <p>A 429 pauses the whole vendor: {@link #pauseUntil} pushes every later slot past the vendor's reset time.
 */
public final class RequestPacer {

    /** Slots are stretched by this much so that a request sent slightly late cannot bunch up with the next one. */
    static final double SAFETY_MARGIN = 0.03;

    private final Clock clock;
    private final Sleeper sleeper;
    private final long intervalNanos;
    private final Duration window;
    /** When the last {@code permits} requests really left, oldest first (a ring). */
    private final Instant[] departures;
    private int oldest;
    private Instant nextSlot = Instant.MIN;
    private volatile Instant pausedUntil = Instant.MIN;
    /** One caller at a time waits for the next slot; the others queue behind it in arrival order. */
    private final ReentrantLock turn = new ReentrantLock(true);

    public RequestPacer(RateLimit limit, Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.intervalNanos = (long) Math.ceil(limit.window().toNanos() * (1 + SAFETY_MARGIN) / limit.permits());
        this.window = Duration.ofNanos((long) Math.ceil(limit.window().toNanos() * (1 + SAFETY_MARGIN)));
        this.departures = new Instant[limit.permits()];
    }

    /** Blocks until this caller may send one request. */
    public void acquire() throws InterruptedException {
        turn.lockInterruptibly();
        try {
            while (true) {
                Instant now = clock.instant();
                Instant slot = latest(latest(nextSlot, pausedUntil),
                        departures[oldest] == null ? Instant.MIN : departures[oldest].plus(window));
                if (!slot.isAfter(now)) {
                    departures[oldest] = now;
                    oldest = (oldest + 1) % departures.length;
                    nextSlot = now.plusNanos(intervalNanos);
                    return;
                }
                // Re-checked after the sleep: a 429 may have paused the vendor meanwhile.
                sleeper.sleep(Duration.between(now, slot));
            }
        } finally {
            turn.unlock();
        }
    }

    /** No request before {@code until}: the vendor asked us to wait. */
    public void pauseUntil(Instant until) {
        synchronized (this) {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** Waiting, injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper THREAD = duration -> Thread.sleep(duration);
    }
}
