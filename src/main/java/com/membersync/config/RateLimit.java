package com.membersync.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vendor's request budget: at most {@code permits} requests in any window of {@code window} length.
 * Written in settings as {@code N/s} or {@code N/min}.
 */
public record RateLimit(int permits, Duration window) {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*/\\s*(s|sec|second|m|min|minute)\\s*");

    public RateLimit {
        if (permits <= 0) {
            throw new IllegalArgumentException("a rate limit needs at least one request per window");
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a positive window");
        }
    }

    public static RateLimit parse(String text) {
        Matcher m = FORMAT.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate limit; write N/s or N/min, e.g. 10/s or 20/min");
        }
        int permits = Integer.parseInt(m.group(1));
        Duration window = m.group(2).startsWith("s") ? Duration.ofSeconds(1) : Duration.ofMinutes(1);
        return new RateLimit(permits, window);
    }

    /** Requests per second, for progress and benchmark arithmetic. */
    public double perSecond() {
        return permits * 1_000_000_000.0 / window.toNanos();
    }

    @Override
    public String toString() {
        return window.equals(Duration.ofSeconds(1)) ? permits + "/s"
                : window.equals(Duration.ofMinutes(1)) ? permits + "/min"
                : permits + " per " + window.toSeconds() + " s";
    }
}
