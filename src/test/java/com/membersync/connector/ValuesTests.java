package com.membersync.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValuesTests {

    @Test
    void phonesBecomeE164WithUsAsDefaultRegion() {
        assertThat(Values.phone("phone", "+17891234567")).isEqualTo("+17891234567");
        assertThat(Values.phone("phone", "(212) 555-0147")).isEqualTo("+12125550147");
        assertThat(Values.phone("phone", "+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThatThrownBy(() -> Values.phone("phone", "12")).isInstanceOf(InvalidValue.class);
        assertThatThrownBy(() -> Values.phone("phone", "call me")).hasMessageContaining("not a phone number");
    }

    @Test
    void impossibleDatesAreRefused() {
        assertThat(Values.date("birthday", "2000-02-29")).isEqualTo("2000-02-29");
        assertThatThrownBy(() -> Values.date("birthday", "1989-02-30")).hasMessageContaining("not a date");
        assertThatThrownBy(() -> Values.date("birthday", "02/25/1989")).isInstanceOf(InvalidValue.class);
    }

    @Test
    void instantsAreSentInUtcWithZ() {
        ZoneId jakarta = ZoneId.of("Asia/Jakarta");
        assertThat(Values.instant("t", "2026-08-20T16:10:57.994+07:00", jakarta)).isEqualTo("2026-08-20T09:10:57.994Z");
        assertThat(Values.instant("t", "2026-08-20", jakarta)).isEqualTo("2026-08-19T17:00:00Z");
        assertThat(Values.instant("t", "2026-08-20T09:10:57Z", jakarta)).isEqualTo("2026-08-20T09:10:57Z");
        assertThat(Values.instant("t", "2026-08-20T16:10:57", jakarta)).isEqualTo("2026-08-20T09:10:57Z");
        assertThatThrownBy(() -> Values.instant("t", "1755681057994", jakarta)).isInstanceOf(InvalidValue.class);
    }

    @Test
    void centsAreNonNegativeWholeNumbers() {
        assertThat(Values.cents("price", "4900")).isEqualTo(4900);
        assertThatThrownBy(() -> Values.cents("price", "49.00")).hasMessageContaining("integer cents");
        assertThatThrownBy(() -> Values.cents("price", "-1")).hasMessageContaining("negative");
    }

    @Test
    void emailsAndEnums() {
        assertThat(Values.email("email", "Joe.Smith@Example.com")).isEqualTo("joe.smith@example.com");
        assertThatThrownBy(() -> Values.email("email", "joe@")).hasMessageContaining("not an email");
        assertThat(Values.oneOf("status", "Active", Set.of("active", "inactive"))).isEqualTo("active");
        assertThatThrownBy(() -> Values.oneOf("status", "gone", Set.of("active", "inactive")))
                .hasMessageContaining("active, inactive");
    }
}
