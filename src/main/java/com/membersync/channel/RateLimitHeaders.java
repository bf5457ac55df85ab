package com.membersync.channel;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a vendor's answer says about waiting: {@code Retry-After} (seconds or an HTTP date) and Decoda-style
 * {@code X-RateLimit-Limit} / {@code X-RateLimit-Remaining} / {@code X-RateLimit-Reset}. Waits are never negative.
 */
final class RateLimitHeaders {

    /**
     * An answer's announced budget: {@code remaining} of {@code limit} requests left until {@code reset} from now.
     * {@code overstated} is how much later than the real reset {@code reset} may lie: up to a second when the vendor
     * wrote whole epoch seconds (rounded, and our clock's fraction of a second on top), else nothing.
     * {@code coarse} when the vendor wrote whole seconds, so that the reset is known to a second at best.
     */
    record Budget(int limit, int remaining, Duration reset, Duration overstated, boolean coarse) {}

    /** {@code X-RateLimit-Reset} above this is epoch seconds, at or below it seconds from now (not documented). */
    private static final double EPOCH_SECONDS = 1e9;

    private final Clock clock;

    RateLimitHeaders(Clock clock) {
        this.clock = clock;
    }

    /** How long a 429 asks to wait: {@code Retry-After}, else {@code X-RateLimit-Reset}. */
    Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> retryAfter = headers.firstValue("Retry-After").map(String::strip);
        if (retryAfter.isPresent()) {
            String value = retryAfter.get();
            try {
                return Optional.of(nonNegative(Duration.ofMillis((long) (Double.parseDouble(value) * 1000))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
                } catch (DateTimeParseException notADate) {
                    // unreadable: the reset, or the caller's backoff, decides
                }
            }
        }
        return reset(headers);
    }

    /** How long until the budget resets, when the answer says the budget is used up ({@code Remaining: 0}). */
    Optional<Duration> exhausted(HttpHeaders headers) {
        boolean none = headers.firstValue("X-RateLimit-Remaining").map(String::strip).filter("0"::equals).isPresent();
        return none ? reset(headers) : Optional.empty();
    }

    /** The budget the answer announces, when it carries all three {@code X-RateLimit-*} headers readably. */
    Optional<Budget> budget(HttpHeaders headers) {
        Optional<Integer> limit = count(headers, "X-RateLimit-Limit");
        Optional<Integer> remaining = count(headers, "X-RateLimit-Remaining");
        Optional<AnnouncedReset> reset = announcedReset(headers);
        if (limit.isEmpty() || remaining.isEmpty() || reset.isEmpty() || limit.get() < 1) {
            return Optional.empty();
        }
        AnnouncedReset r = reset.get();
        return Optional.of(new Budget(limit.get(), Math.max(0, remaining.get()), r.after(),
                r.epoch() && r.wholeSeconds() ? Duration.ofSeconds(1) : Duration.ZERO, r.wholeSeconds()));
    }

    /** A count header's leading number: {@code 40}, also {@code 40, 40;w=1} as the IETF draft writes it. */
    private static Optional<Integer> count(HttpHeaders headers, String name) {
        return headers.firstValue(name).map(v -> v.split("[,;]", 2)[0].strip()).flatMap(v -> {
            try {
                return Optional.of(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** {@code X-RateLimit-Reset} as a wait: epoch seconds or seconds from now, whichever the value must be. */
    Optional<Duration> reset(HttpHeaders headers) {
        return announcedReset(headers).map(AnnouncedReset::after);
    }

    /** A readable {@code X-RateLimit-Reset}: how long until it, and how it was written. */
    private record AnnouncedReset(Duration after, boolean epoch, boolean wholeSeconds) {}

    private Optional<AnnouncedReset> announcedReset(HttpHeaders headers) {
        return headers.firstValue("X-RateLimit-Reset").map(String::strip).flatMap(value -> {
            try {
                double n = Double.parseDouble(value);
                boolean epoch = n > EPOCH_SECONDS;
                return Optional.of(new AnnouncedReset(nonNegative(epoch
                        ? Duration.between(clock.instant(), Instant.ofEpochMilli((long) (n * 1000)))
                        : Duration.ofMillis((long) (n * 1000))), epoch, !value.contains(".")));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Duration nonNegative(Duration wait) {
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
