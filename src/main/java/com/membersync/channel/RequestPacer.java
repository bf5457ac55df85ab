package com.membersync.channel;

import com.membersync.config.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
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
 *
 * <p>With a {@link SlotLedger}, the slots come from the group's ledger, shared with other processes: this process
 * reserves a few at a time, each {@code window / permits} apart on the ledger's clock, and sends in them. A slot woken
 * for too late (by more than a quarter of the margin) is given up rather than used, since a late request from one process
 * could bunch up with another process's request a window later, which no ring of this process's departures would see;
 * any request sent within a quarter of the margin of its slot keeps a full window from the one {@code permits} slots
 * later, and leaves the rest of the margin to the network's and the gateway's delays.
 */
public final class RequestPacer {

    /** Slots are stretched by this much so that a request sent slightly late cannot bunch up with the next one. */
    static final double SAFETY_MARGIN = 0.03;
    /** How far ahead slots are reserved in a shared ledger at once: one round trip to it per this much of the budget. */
    static final Duration RESERVE_AHEAD = Duration.ofMillis(100);
    /** The gap a cold request's slot leaves after it in a shared ledger: what class loading and a handshake may cost. */
    static final Duration COLD_GAP = Duration.ofMillis(250);

    private final Clock clock;
    private final Sleeper sleeper;
    // All below guarded by this; the sleep between slots happens outside it, so an answer can re-pace meanwhile.
    private long intervalNanos;
    private RateLimit limit;
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
    /** The group's slots reserved in the ledger and not used yet, earliest first; guarded by {@link #turn}. */
    private final Deque<Instant> reserved = new ArrayDeque<>();
    private final SlotLedger ledger;
    private final String group;
    /** A cold request's slot, reserved with a gap after it; guarded by {@link #turn}. */
    private Instant coldSlot;
    /** Shared slots given up, woken too late for them; guarded by {@link #turn}. */
    private long missed;
    private long reservedSlots;

    /** Paces this process's requests alone. */
    public RequestPacer(RateLimit limit, Clock clock, Sleeper sleeper) {
        this(limit, clock, sleeper, null, null);
    }

    /** Paces within the slots of {@code group} in {@code ledger}, shared with other processes (null: alone). */
    public RequestPacer(RateLimit limit, Clock clock, Sleeper sleeper, SlotLedger ledger, String group) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.ledger = ledger;
        this.group = group;
        this.departures = new Instant[0];
        limit(limit);
    }

    /**
     * Blocks until this caller may send one request.
     *
     * @return the request's number, counting from 0, for {@link #sentSince}
     */
    public long acquire() throws InterruptedException {
        return acquire(false);
    }

    /**
     * Blocks until this caller may send one request; {@code cold} for an account's first, which pays for class loading
     * and connection set-up and so may reach the vendor well after its slot: with a ledger, its slot is followed by a
     * gap of {@link #COLD_GAP}, so that however late it arrives, no other process's request a window later bunches up
     * with it.
     *
     * @return the request's number, counting from 0, for {@link #sentSince}
     */
    public long acquire(boolean cold) throws InterruptedException {
        turn.lockInterruptibly();
        try {
            while (true) {
                Instant now = clock.instant();
                Instant slot = localSlot();
                if (ledger != null) {
                    slot = latest(slot, sharedSlot(latest(slot, now), now, cold));
                    now = clock.instant(); // the ledger may have taken its time to answer: wait from now, not then
                }
                if (!slot.isAfter(now)) {
                    synchronized (this) {
                        // An answer may have paused or re-paced meanwhile (the ledger was asked outside the lock).
                        Instant local = localSlot();
                        if (local.isAfter(now)) {
                            continue;
                        }
                        if (cold) {
                            coldSlot = null;
                        } else {
                            reserved.pollFirst();
                        }
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

    /**
     * The earliest this process's own pacing allows. Alone: the planned slot, a pause, and the window of its last
     * requests. With a ledger, whose slots are spaced already (a budget spread until a reset spaces them wider): a
     * pause. Its slots' spacing is the ledger's, and a slot woken for too late is given up, which keeps late requests from bunching up;
     * the ring would only carry one request's lateness on to the request a window later, and from there to the next,
     * until slot after slot was given up; and asking the ledger for a planned slot of ours would move the group's next
     * slot on by the time the ledger takes to answer, at every reservation.
     */
    private synchronized Instant localSlot() {
        if (ledger != null) {
            return pausedUntil;
        }
        Instant oldestDeparture = departures[oldest];
        return latest(latest(nextSlot, pausedUntil), oldestDeparture == null ? Instant.MIN : oldestDeparture.plus(window));
    }

    /**
     * The next of the group's slots reserved for this process that is not missed, reserving more, no earlier than
     * {@code earliest}, when none is left. A slot more than a quarter of the margin behind {@code now} is missed.
     */
    private Instant sharedSlot(Instant earliest, Instant now, boolean cold) {
        Duration interval;
        Instant missedBefore;
        int batch;
        synchronized (this) {
            // a budget spread until a reset: the group's next slots that far apart, not merely ours
            interval = Duration.ofNanos(now.isBefore(spreadUntil) ? Math.max(intervalNanos, spreadIntervalNanos)
                    : intervalNanos);
            // a quarter of the margin for this process's lateness, the rest for the network's and the gateway's
            missedBefore = now.minusNanos((long) (window.toNanos() * SAFETY_MARGIN / (4 * (1 + SAFETY_MARGIN))));
            // No more than the callers waiting can use: slots reserved and not used are the group's budget lost.
            batch = (int) Math.max(1, Math.min(Math.min(departures.length, turn.getQueueLength() + 1),
                    RESERVE_AHEAD.toNanos() / intervalNanos));
        }
        if (cold) {
            if (coldSlot == null || coldSlot.isBefore(missedBefore)) {
                missed += coldSlot == null ? 0 : 1;
                reservedSlots++;
                coldSlot = ledger.reserve(group, interval, 1, earliest, COLD_GAP);
            }
            return coldSlot;
        }
        while (!reserved.isEmpty() && reserved.peekFirst().isBefore(missedBefore)) {
            reserved.pollFirst();
            missed++;
        }
        if (reserved.isEmpty()) {
            reservedSlots += batch;
            Instant first = ledger.reserve(group, interval, batch, earliest, Duration.ZERO);
            for (int i = 0; i < batch; i++) {
                reserved.addLast(first.plus(interval.multipliedBy(i)));
            }
        }
        return reserved.peekFirst();
    }

    /** How many requests have left so far; the next one gets this number. */
    public synchronized long departed() {
        return departed;
    }

    /** How many requests left after request {@code number} (from {@link #acquire}). */
    public synchronized long sentSince(long number) {
        return Math.max(0, departed - number - 1);
    }

    /** No request before {@code until}, in any process of the group: the vendor asked us to wait. */
    public void pauseUntil(Instant until) {
        synchronized (this) {
            if (!until.isAfter(pausedUntil)) {
                return;
            }
            pausedUntil = until;
        }
        if (ledger != null) {
            ledger.pauseUntil(group, until);
        }
    }

    /** From now on at most {@code limit.permits()} requests in any {@code limit.window()}. */
    public synchronized void limit(RateLimit limit) {
        this.limit = limit;
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
    public void spread(Instant until, long requests) {
        if (requests <= 0) {
            pauseUntil(until);
            return;
        }
        synchronized (this) {
            Duration left = Duration.between(clock.instant(), until);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            spreadUntil = until;
            spreadIntervalNanos = (long) Math.ceil(left.toNanos() * (1 + SAFETY_MARGIN) / requests);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public synchronized Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** Shared slots reserved so far, and how many of them were given up, woken too late for. */
    public record SharedSlots(long reserved, long missed) {}

    public SharedSlots sharedSlots() {
        turn.lock();
        try {
            return new SharedSlots(reservedSlots, missed);
        } finally {
            turn.unlock();
        }
    }

    /** The limit requests are paced at now. */
    public synchronized RateLimit limit() {
        return limit;
    }

    /** Waiting, injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper THREAD = duration -> Thread.sleep(duration);
    }
}
