package com.membersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTests {

    private static final Instant NOW = Instant.parse("2026-12-02T02:30:00Z");
    private final RateLimitHeaders headers = new RateLimitHeaders(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertThat(headers.retryAfter(of("Retry-After", "2.5"))).contains(Duration.ofMillis(2500));
        assertThat(headers.retryAfter(of("Retry-After", "Wed, 02 Dec 2026 02:30:07 GMT"))).contains(Duration.ofSeconds(7));
        assertThat(headers.retryAfter(of("Retry-After", "Wed, 02 Dec 2026 02:29:00 GMT"))).as("in the past")
                .contains(Duration.ZERO);
    }

    @Test
    void withoutAReadableRetryAfterTheResetDecides() {
        assertThat(headers.retryAfter(of("Retry-After", "soon", "X-RateLimit-Reset", "3"))).contains(Duration.ofSeconds(3));
        assertThat(headers.retryAfter(of())).isEmpty();
    }

    @Test
    void aResetAboveTenToTheNineIsEpochSecondsAndAnySmallerSecondsFromNow() {
        assertThat(headers.reset(of("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 12))))
                .contains(Duration.ofSeconds(12));
        assertThat(headers.reset(of("X-RateLimit-Reset", "12"))).contains(Duration.ofSeconds(12));
        assertThat(headers.reset(of("X-RateLimit-Reset", "never"))).isEmpty();
    }

    @Test
    void theBudgetIsExhaustedOnlyWhenRemainingIsZero() {
        assertThat(headers.exhausted(of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "4"))).contains(Duration.ofSeconds(4));
        assertThat(headers.exhausted(of("X-RateLimit-Remaining", "3", "X-RateLimit-Reset", "4"))).isEmpty();
    }

    @Test
    void aBudgetNeedsAllThreeHeadersAndKnowsHowPreciseItsResetIs() {
        assertThat(headers.budget(of("X-RateLimit-Limit", "40", "X-RateLimit-Remaining", "7", "X-RateLimit-Reset", "0.250")))
                .contains(new RateLimitHeaders.Budget(40, 7, Duration.ofMillis(250), Duration.ZERO, false));
        assertThat(headers.budget(of("X-RateLimit-Limit", "40, 40;w=1", "X-RateLimit-Remaining", "7",
                "X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 2))))
                .as("whole epoch seconds may overstate the reset by a second")
                .contains(new RateLimitHeaders.Budget(40, 7, Duration.ofSeconds(2), Duration.ofSeconds(1), true));
        assertThat(headers.budget(of("X-RateLimit-Limit", "40", "X-RateLimit-Reset", "1"))).isEmpty();
        assertThat(headers.budget(of("X-RateLimit-Limit", "many", "X-RateLimit-Remaining", "7", "X-RateLimit-Reset", "1")))
                .isEmpty();
    }

    private static HttpHeaders of(String... namesAndValues) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }
}
