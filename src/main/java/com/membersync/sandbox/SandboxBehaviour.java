package com.membersync.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.random.RandomGenerator;

/**
 * The switches every vendor fake has: answer latency, a rate limit enforced over a sliding window (429 with
 * {@code Retry-After}), injected faults, either scripted ({@code failNext}) or at random rates, and an impostor
 * that answers instead of the vendor. One per vendor, shared by all its accounts.
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

    /**
     * Something other than the vendor answering at its URL, as a client may meet behind a corporate proxy, during
     * maintenance, at a CDN or on a misrouted base URL. Each answers 200.
     */
    public enum Impostor {
        /** {@code text/html}: a login or maintenance page. */
        HTML_PAGE("html"),
        /** {@code application/json} with an empty body: the type promises JSON and nothing follows. */
        EMPTY_BODY("empty"),
        /** {@code application/json} {@code {"ok": true}}: another service's answer. */
        OTHER_JSON("other-json"),
        /** The vendor's own envelope for the request, naming another record than the one asked for. */
        OTHER_ID("other-id");

        private final String word;

        Impostor(String word) {
            this.word = word;
        }

        /** Its name in the admin route, e.g. "html". */
        String word() {
            return word;
        }
    }

    /** The impostor switched on, and the methods it answers (all when empty). */
    record ImpostorSetting(Impostor kind, Set<String> methods) {

        boolean answers(String method) {
            return methods.isEmpty() || methods.contains(method);
        }
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
    private volatile ImpostorSetting impostor;
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

    /**
     * Every request with one of these methods (all methods when none are given) is answered by an impostor of this
     * kind instead of the vendor; null turns it off. An impostor's answer never reaches the vendor's logic (nothing
     * is stored or changed), is not rate limited, and is recorded with {@link RecordedRequest#impostor()} set.
     */
    public SandboxBehaviour impostor(Impostor kind, String... methods) {
        this.impostor = kind == null ? null : new ImpostorSetting(kind,
                Stream.of(methods).map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
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
                .announceRateLimit(false).impostor(null);
    }

    /** The impostor switched on, or null. */
    ImpostorSetting impostor() {
        return impostor;
    }

    /** The impostor that answers a request with this method, or null when the vendor does. */
    Impostor impostorFor(String method) {
        ImpostorSetting setting = impostor;
        return setting != null && setting.answers(method) ? setting.kind() : null;
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
