package com.membersync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RatePolicyTests {

    private static final RateLimit DOCUMENTED = RateLimit.parse("10/s");

    @Test
    void readsAFixedLimitOrAutoWithAnOptionalCeiling() {
        assertThat(RatePolicy.parse("20/min", DOCUMENTED)).isEqualTo(new RatePolicy.Fixed(RateLimit.parse("20/min")));
        assertThat(RatePolicy.parse(" Auto ", DOCUMENTED)).isEqualTo(new RatePolicy.Auto(Optional.empty(), DOCUMENTED));
        assertThat(RatePolicy.parse("auto, at most 50/s", DOCUMENTED))
                .isEqualTo(new RatePolicy.Auto(Optional.of(RateLimit.parse("50/s")), DOCUMENTED));
        assertThat(RatePolicy.parse("auto at most 50/s", DOCUMENTED)).hasToString("auto, at most 50/s");
    }

    @Test
    void withoutAnnouncementsAutoPacesAtTheDocumentedLimitButNeverAboveTheCeiling() {
        assertThat(RatePolicy.parse("auto", DOCUMENTED).unannounced()).isEqualTo(DOCUMENTED);
        assertThat(RatePolicy.parse("auto, at most 50/s", DOCUMENTED).unannounced()).isEqualTo(DOCUMENTED);
        assertThat(RatePolicy.parse("auto, at most 2/s", DOCUMENTED).unannounced()).isEqualTo(RateLimit.parse("2/s"));
    }

    @Test
    void refusesWhatItCannotReadNamingBothForms() {
        assertThatThrownBy(() -> RatePolicy.parse("automatic", DOCUMENTED)).hasMessageContaining("N/s or N/min")
                .hasMessageContaining("auto");
        assertThatThrownBy(() -> RatePolicy.parse("auto, at most lots", DOCUMENTED)).hasMessageContaining("'lots'");
    }
}
