package com.membersync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SettingsCheckTests {

    private final SettingsCheck check = new SettingsCheck();

    @Test
    void everySettingOfTheContractPasses() {
        assertThatCode(() -> check.check(settings(Map.of(
                "member-sync.chunk-size", 10,
                "member-sync.shutdownGrace", "20s",
                "member-sync.vendors.hang.api-key", "k",
                "member-sync.vendors.decoda.tenant", "t",
                "member-sync.vendors.mayar.rate-limit", "20/min",
                "member-sync.source.url", "jdbc:postgresql://crm/crm",
                "member-sync.feeds.hang-members.vendor", "hang",
                "member-sync.feeds.hang-members.columns.phone", "Mobile",
                "member-sync.feeds.hang-members.max-changes", "50%",
                "spring.datasource.url", "jdbc:postgresql://db/x")))).doesNotThrowAnyException();
    }

    @Test
    void anAccountMayHaveAnyNameAndAnAccountsSettings() {
        assertThatCode(() -> check.check(settings(Map.of(
                "member-sync.vendors.decoda-uptown.type", "decoda",
                "member-sync.vendors.decoda-uptown.tenant", "uptown",
                "member-sync.vendors.mayar-kids.type", "mayar",
                "member-sync.vendors.mayar-kids.rate-limit-group", "mayar")))).doesNotThrowAnyException();
    }

    @Test
    void aMisspeltFeedSettingNamesTheKeyAndTheClosestValidOne() {
        assertThatThrownBy(() -> check.check(settings(Map.of("member-sync.feeds.plans.max-change", "5"))))
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessage("unknown setting member-sync.feeds.plans.max-change; did you mean max-changes?");
    }

    @Test
    void aMisspeltSettingAtTheTopAndUnderAVendorIsRefusedToo() {
        assertThatThrownBy(() -> check.check(settings(Map.of("member-sync.chunk-sise", "5"))))
                .hasMessage("unknown setting member-sync.chunk-sise; did you mean chunk-size?");
        assertThatThrownBy(() -> check.check(settings(Map.of("member-sync.vendors.hang.api-kye", "k"))))
                .hasMessage("unknown setting member-sync.vendors.hang.api-kye; did you mean api-key?");
        assertThatThrownBy(() -> check.check(settings(Map.of("member-sync.vendors.hang-b.rate-limt", "5/s"))))
                .hasMessage("unknown setting member-sync.vendors.hang-b.rate-limt; did you mean rate-limit?");
        assertThatThrownBy(() -> check.check(settings(Map.of("member-sync.source.host", "crm"))))
                .hasMessage("unknown setting member-sync.source.host; valid here: url, username, password, statement-timeout");
        assertThatThrownBy(() -> check.check(settings(Map.of("member-sync.feeds.plans.csv.path", "x"))))
                .hasMessage("unknown setting member-sync.feeds.plans.csv.path; member-sync.feeds.plans.csv takes no further names");
    }

    @Test
    void environmentVariablesAreReadEveryWayAnUnderscoreCanBeRead() {
        assertThatCode(() -> check.check(variables(Map.of(
                "MEMBER_SYNC_VENDORS_HANG_API_KEY", "k",
                "MEMBER_SYNC_VENDORS_DECODA_UPTOWN_API_KEY", "k",
                "MEMBER_SYNC_FEEDS_HANG_MEMBERS_MAX_CHANGES", "10",
                "MEMBER_SYNC_FEEDS_PLANS_COLUMNS_PHONE", "Mobile",
                "MEMBERSYNC_CHUNKSIZE", "100",
                // not ours: shares the prefix, names none of member-sync's settings
                "MEMBER_SYNC_TEST_DB_URL", "jdbc:postgresql://x/y")))).doesNotThrowAnyException();

        assertThatThrownBy(() -> check.check(variables(Map.of("MEMBER_SYNC_FEEDS_PLANS_MAX_CHANGE", "5"))))
                .hasMessage("unknown setting MEMBER_SYNC_FEEDS_PLANS_MAX_CHANGE (an environment variable); did you mean"
                        + " MEMBER_SYNC_FEEDS_PLANS_MAX_CHANGES?");
        assertThatThrownBy(() -> check.check(variables(Map.of("MEMBER_SYNC_VENDORS_HANG_APIKEY_FILE", "k"))))
                .isInstanceOf(ConfigurationProblem.class).hasMessageContaining("MEMBER_SYNC_VENDORS_HANG_APIKEY_FILE");
        assertThatThrownBy(() -> check.check(variables(Map.of("MEMBER_SYNC_CHUNK_SIZ", "5"))))
                .hasMessageContaining("did you mean MEMBER_SYNC_CHUNK_SIZE?");
    }

    @Test
    void aShareAboveAllOfThemIsNoLimit() {
        assertThatThrownBy(() -> ChangeLimit.parse("150%")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than all of them (100%)");
        assertThat(ChangeLimit.parse("100%").of(7)).isEqualTo(7);
    }

    private static StandardEnvironment settings(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    private static StandardEnvironment variables(Map<String, Object> variables) {
        StandardEnvironment environment = settings(Map.of());
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("testEnvironment", variables));
        return environment;
    }
}
