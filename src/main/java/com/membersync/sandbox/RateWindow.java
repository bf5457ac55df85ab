package com.membersync.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The requests a rate limit accepted within its sliding window: one per account where the vendor limits each
 * account (tenant, key), one shared by all accounts where it limits them together (by IP).
 */
final class RateWindow {

    /** When a request was admitted, or else how many seconds it should wait. */
    record Admission(Instant at, long retryAfterSeconds) {

        boolean admitted() {
            return retryAfterSeconds == 0;
        }
    }

    private final Deque<Instant> accepted = new ArrayDeque<>();

    /**
     * Admits a request now unless {@code permits} were already accepted in the last {@code window}; 0 permits
     * admits all. The time is read under the lock, so the window holds the instants in order even when requests
     * of several accounts race, and no sliding window ever holds more than {@code permits}.
     */
    synchronized Admission admit(Clock clock, int permits, Duration window) {
        Instant now = clock.instant();
        if (permits <= 0) {
            return new Admission(now, 0);
        }
        Instant horizon = now.minus(window);
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(horizon)) {
            accepted.pollFirst();
        }
        if (accepted.size() >= permits) {
            Duration untilFree = Duration.between(now, accepted.peekFirst().plus(window));
            return new Admission(now, Math.max(1, (untilFree.toMillis() + 999) / 1000));
        }
        accepted.addLast(now);
        return new Admission(now, 0);
    }

    /** The permits left, as last counted: never more than are really left. */
    synchronized int remaining(int permits) {
        return Math.max(0, permits - accepted.size());
    }
}
