package com.membersync.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalDataTests {

    @Test
    void masksEmailsPhonesAndBirthdays() {
        assertThat(PersonalData.mask("email joe.smith@example.com is taken"))
                .isEqualTo("email j***@example.com is taken");
        assertThat(PersonalData.mask("phone +1 (789) 123-4567 invalid")).isEqualTo("phone ***4567 invalid");
        assertThat(PersonalData.mask("born 1989-02-25.")).isEqualTo("born 1989-**-**.");
    }

    @Test
    void leavesWhatOperatorsNeedAlone() {
        String text = "HTTP 503 at 2026-08-20T09:10:57Z for /data/members-2026-11-22.csv (run 12, execution 4711)";
        assertThat(PersonalData.mask(text)).isEqualTo(text);
    }
}
