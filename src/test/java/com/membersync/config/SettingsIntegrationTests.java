package com.membersync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.support.CliRun;
import com.membersync.support.SyncFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings an operator mistyped are configuration errors (exit 78) naming the key, never silently ignored. */
class SettingsIntegrationTests {

    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("settings");
        fixture.feed("plans", "decoda", fixture.file("plans.csv", "membership_id,name,price\np1,Plan,100\n"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "member-sync.feeds.plans.max-change | 5 | unknown setting member-sync.feeds.plans.max-change; did you mean max-changes?",
            "member-sync.vendors.decoda.tenent | t | unknown setting member-sync.vendors.decoda.tenent; did you mean tenant?",
            "member-sync.chunksize-rows | 5 | unknown setting member-sync.chunksize-rows",
            "member-sync.feeds.plans.columns.prise | Price | unknown setting member-sync.feeds.plans.columns.prise: decoda has no field prise; did you mean price?",
            "member-sync.feeds.plans.max-rejected | 150% | is more than all of them (100%)"})
    void aMisspeltOrImpossibleSettingAtAnyLevelIsRefusedNamingIt(String setting, String value, String message) {
        fixture.settings().put(setting, value);

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(78);
        assertThat(run.err()).contains(message).contains(setting);
        assertThat(fixture.sandbox().decoda().requests()).isEmpty();
    }

    @Test
    void aMaxChangesShareAboveAllOfThemOnTheCommandLineIsAUsageError() {
        CliRun run = fixture.run("run", "--max-changes", "101%");

        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.err()).contains("--max-changes").contains("100%");
    }
}
