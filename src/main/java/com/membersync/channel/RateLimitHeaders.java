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
 * {@code X-RateLimit-Remaining} / {@code X-RateLimit-Reset}. Waits are never negative.
 */
final class RateLimitHeaders {

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

    /** {@code X-RateLimit-Reset} as a wait: epoch seconds or seconds from now, whichever the value must be. */
    Optional<Duration> reset(HttpHeaders headers) {
        return headers.firstValue("X-RateLimit-Reset").flatMap(value -> {
            try {
                double n = Double.parseDouble(value.strip());
                return Optional.of(nonNegative(n > EPOCH_SECONDS
                        ? Duration.between(clock.instant(), Instant.ofEpochMilli((long) (n * 1000)))
                        : Duration.ofMillis((long) (n * 1000))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Duration nonNegative(Duration wait) {
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
