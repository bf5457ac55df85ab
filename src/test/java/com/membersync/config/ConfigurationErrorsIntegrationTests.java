package com.membersync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A configuration error is one message naming the setting, exit 78, and nothing else: no stack trace, no Spring
 * start-up report, and nothing sent.
 */
class ConfigurationErrorsIntegrationTests {

    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture("config_errors");
        fixture.feed("members", "hang", fixture.file("members.csv", "program_membership_id,email\npm_1,a@example.com\n"));
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(Map.of("member-sync.feeds.members.vendor", "decoda-sout",
                        "member-sync.vendors.decoda-south.type", "decoda",
                        "member-sync.vendors.decoda-south.tenant", "south",
                        "member-sync.vendors.decoda-south.api-key", "k"),
                        "member-sync.feeds.members.vendor", "unknown account 'decoda-sout'; did you mean decoda-south?"),
                Arguments.of(Map.of("member-sync.vendors.clinic.type", "decodah"),
                        "member-sync.vendors.clinic.type", "unknown vendor type 'decodah' for account clinic; did you"
                                + " mean decoda?"),
                Arguments.of(Map.of("member-sync.vendors.clinic.api-key", "k"),
                        "member-sync.vendors.clinic.type", "account clinic needs a type"),
                Arguments.of(Map.of("member-sync.feeds.members.vendor", "clinic", "member-sync.vendors.clinic.type",
                        "decoda", "member-sync.vendors.clinic.api-key", "k"),
                        "member-sync.vendors.clinic.tenant", "no tenant for account clinic (decoda)"),
                Arguments.of(Map.of("member-sync.vendors.hang.rate-limt", "5/s"),
                        "member-sync.vendors.hang.rate-limt", "did you mean rate-limit?"),
                Arguments.of(Map.of("member-sync.feeds.members.max-change", "5"),
                        "member-sync.feeds.members.max-change", "did you mean max-changes?"),
                Arguments.of(Map.of("member-sync.vendors.hang.base-url", "http://loyalty.hang.xyz/partner-api"),
                        "member-sync.vendors.hang.base-url", "would send the API key in clear"),
                Arguments.of(Map.of("member-sync.vendors.mayar-kids.type", "mayar",
                        "member-sync.vendors.mayar-kids.rate-limit-group", "hang"),
                        "member-sync.vendors.mayar-kids.rate-limit-group", "has accounts at two vendors"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aConfigurationErrorIsOneMessageNamingTheSettingAndExit78(Map<String, String> settings, String setting,
            String says) {
        fixture.settings().putAll(settings);

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(78);
        assertThat(run.err()).contains(setting).contains(says);
        assertAlone(run.out() + run.err());
        assertThat(fixture.sandbox().hang().requests()).isEmpty();
    }

    @Test
    void theBuiltJarPrintsAMisspeltSettingAloneToo() throws Exception {
        fixture.settings().put("member-sync.vendors.hang.rate-limt", "5/s");

        MemberSyncProcess run = MemberSyncProcess.startJar(fixture.folder(), fixture.settings(), List.of(), "run");

        assertThat(run.waitFor(Duration.ofMinutes(1))).as(run.output()).isEqualTo(78);
        assertThat(run.output().strip()).isEqualTo("member-sync: unknown setting member-sync.vendors.hang.rate-limt;"
                + " did you mean rate-limit?");
    }

    @Test
    void aConfigTreeThatIsNotThereIsAConfigurationError() {
        Path missing = fixture.folder().resolve("secrets");

        CliRun run = fixture.run("run", "--spring.config.import=configtree:" + missing + "/");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(78);
        assertThat(run.err()).contains("spring.config.import").contains(missing.toString());
        assertAlone(run.out() + run.err());
    }

    @Test
    void anHttpBaseUrlIsFineForALoopbackHost() throws IOException {
        String sandbox = fixture.sandbox().baseUrl("hang").toString();
        fixture.settings().put("member-sync.vendors.hang.base-url", sandbox.replace("127.0.0.1", "localhost"));

        assertThat(fixture.run("run").exitCode()).isZero();
    }

    /** Nothing but member-sync's own lines: no frames, no exception names, no Spring Boot failure report. */
    private static void assertAlone(String output) {
        assertThat(output).doesNotContain("\tat ", "Exception", "APPLICATION FAILED TO START", "Application run failed",
                "WARN");
    }
}
