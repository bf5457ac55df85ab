package com.membersync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTests {

    @Test
    void readsPerSecondAndPerMinute() {
        assertThat(RateLimit.parse("10/s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1)));
        assertThat(RateLimit.parse(" 20 / min ")).isEqualTo(new RateLimit(20, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("20/min").perSecond()).isEqualTo(20 / 60.0);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> RateLimit.parse("fast")).hasMessageContaining("N/s or N/min");
        assertThatThrownBy(() -> RateLimit.parse("0/s")).isInstanceOf(IllegalArgumentException.class);
    }
}
