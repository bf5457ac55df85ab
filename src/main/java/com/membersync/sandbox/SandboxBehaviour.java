package com.membersync.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * The switches every vendor fake has: answer latency, a rate limit enforced over a sliding window (429 with
 * {@code Retry-After}), and injected faults, either scripted ({@code failNext}) or at random rates.
 */
public final class SandboxBehaviour {

    /** An injected fault. */
    public enum Fault {
        /** Answer 503 with the vendor's error envelope. */
        SERVER_ERROR,
        /** Close the connection without answering. */
        DROP_CONNECTION,
        /** Answer only after {@link #slowAnswer()}, normally longer than the client's timeout. */
        SLOW_ANSWER,
        /** Answer 429 with Retry-After, whatever the rate. */
        TOO_MANY_REQUESTS
    }

    private volatile Duration minLatency = Duration.ZERO;
    private volatile Duration maxLatency = Duration.ZERO;
    private volatile int ratePermits;
    private volatile Duration rateWindow = Duration.ofSeconds(1);
    private volatile boolean announced;
    private volatile Duration slowAnswer = Duration.ofSeconds(30);
    private volatile double serverErrorRate;
    private volatile double dropRate;
    private volatile double slowRate;
    private final Deque<Fault> scripted = new ArrayDeque<>();
    private final RandomGenerator random;

    SandboxBehaviour(RandomGenerator random) {
        this.random = random;
    }

    /** Every answer takes between {@code min} and {@code max}, uniformly. */
    public SandboxBehaviour latency(Duration min, Duration max) {
        this.minLatency = min;
        this.maxLatency = max;
        return this;
    }

    /** At most {@code permits} accepted requests in any window of {@code window}; more get 429. 0 turns it off. */
    public SandboxBehaviour rateLimit(int permits, Duration window) {
        this.ratePermits = permits;
        this.rateWindow = window;
        return this;
    }

    /**
     * Announce the rate limit on every answer as a gateway in front of any vendor would: {@code X-RateLimit-Limit}
     * (the permits), {@code X-RateLimit-Remaining} (left in the sliding window) and {@code X-RateLimit-Reset} (the
     * window, in seconds from now). Decoda announces its limit whether this is on or not.
     */
    public SandboxBehaviour announceRateLimit(boolean on) {
        this.announced = on;
        return this;
    }

    /** The next {@code count} requests get {@code fault}, in order. */
    public SandboxBehaviour failNext(int count, Fault fault) {
        synchronized (scripted) {
            for (int i = 0; i < count; i++) {
                scripted.add(fault);
            }
        }
        return this;
    }

    /** Random faults: each request gets a 5xx, a dropped connection or a slow answer with these probabilities. */
    public SandboxBehaviour randomFaults(double serverErrors, double drops, double slow) {
        this.serverErrorRate = serverErrors;
        this.dropRate = drops;
        this.slowRate = slow;
        return this;
    }

    public SandboxBehaviour slowAnswer(Duration duration) {
        this.slowAnswer = duration;
        return this;
    }

    public SandboxBehaviour reset() {
        synchronized (scripted) {
            scripted.clear();
        }
        return latency(Duration.ZERO, Duration.ZERO).rateLimit(0, Duration.ofSeconds(1)).randomFaults(0, 0, 0)
                .announceRateLimit(false);
    }

    Duration slowAnswer() {
        return slowAnswer;
    }

    int ratePermits() {
        return ratePermits;
    }

    boolean rateLimitAnnounced() {
        return announced;
    }

    Duration rateWindow() {
        return rateWindow;
    }

    Duration nextLatency() {
        long min = minLatency.toNanos();
        long max = maxLatency.toNanos();
        return Duration.ofNanos(max <= min ? min : min + random.nextLong(max - min));
    }

    Fault nextFault() {
        synchronized (scripted) {
            if (!scripted.isEmpty()) {
                return scripted.poll();
            }
        }
        double roll = random.nextDouble();
        if (roll < serverErrorRate) {
            return Fault.SERVER_ERROR;
        }
        if (roll < serverErrorRate + dropRate) {
            return Fault.DROP_CONNECTION;
        }
        if (roll < serverErrorRate + dropRate + slowRate) {
            return Fault.SLOW_ANSWER;
        }
        return null;
    }
}
