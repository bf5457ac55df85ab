package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.HangSandbox;
import com.membersync.support.CliRun;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messy real-world input: every bad row gets line, field and reason; the good ones sync; a wrong file stops early. */
class InputValidationIntegrationTests {

    private static final Path EDGE_CASES = Path.of("sample-data", "hang-edge-cases.csv");
    private static final String HEADER = "program_membership_id,external_user_id,email\n";

    private SyncFixture fixture;
    private HangSandbox hang;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("validation");
        hang = fixture.sandbox().hang();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void eachBadRowIsRejectedWithItsLineFieldAndReasonAndTheGoodOnesSync() throws Exception {
        fixture.feed("members", "hang", EDGE_CASES.toAbsolutePath());
        fixture.settings().put("member-sync.feeds.members.max-rejected", "100%");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.counts("members")).startsWith("read=14 unchanged=0 synced=5 rejected=9 refused=0 failed=0 pending=0");
        assertThat(hang.memberships().keySet()).containsExactlyInAnyOrder("e01", "e02", "e03", "e04", "e13");
        assertThat(hang.membership("e02").orElseThrow().get("first_name").stringValue()).isEqualTo("Anne, \"Annie\"");
        assertThat(hang.membership("e03").orElseThrow().get("last_name").stringValue()).isEqualTo("Smith\nJones");
        assertThat(hang.membership("e04").orElseThrow().get("phone").stringValue()).isEqualTo("+14155550101");
        assertThat(hang.membership("e01").orElseThrow().get("first_name").stringValue()).isEqualTo("李");

        String failures = fixture.run("failures").out();
        assertThat(failures)
                .containsPattern("line 7 key \\(blank\\): rejected program_membership_id: program_membership_id is blank")
                .containsPattern("line 8 key e06: rejected birthday: '1989-02-30' is not a date")
                .containsPattern("line 9 key e07: rejected email: 'not-an-email' is not an email address")
                .containsPattern("line 10 key e08: rejected phone: '12'")
                .containsPattern("line 11 key e09: rejected family_member_birthdays: is not valid JSON")
                .containsPattern("line 12 key e10: rejected family_member_birthdays: family_member_birthdays\\[0\\].birthday is required")
                .containsPattern("line 13 key e11: rejected family_member_birthdays: 'maybe' is not one of active, inactive")
                .containsPattern("line 14 key e12: rejected: the row has 9 cells but the header has 8")
                .containsPattern("line 15 key e01: rejected program_membership_id: duplicate program_membership_id 'e01': line 2 has it already");
        assertThat(fixture.report("run").counts("members")).as("a second run sends nothing new")
                .startsWith("read=14 unchanged=5 synced=0 rejected=9");
    }

    @Test
    void anUnbalancedQuoteRejectsTheRowItStartsOn() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv",
                HEADER + "v1,ext-1,v1@example.com\nu2,\"ext-2,u2@example.com\n"));
        fixture.settings().put("member-sync.feeds.members.max-rejected", "100%");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(hang.memberships()).containsOnlyKeys("v1");
        assertThat(fixture.run("failures").out()).contains("line 3").contains("malformed CSV");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedBeforeAnythingIsSent() throws Exception {
        Path latin1 = fixture.folder().resolve("latin1.csv");
        Files.write(latin1, (HEADER + "m1,ext,jos\u00e9@example.com\n").getBytes(StandardCharsets.ISO_8859_1));
        fixture.feed("members", "hang", latin1);

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(66);
        assertThat(run.err()).contains("latin1.csv").contains("not UTF-8");
        assertThat(hang.requests()).isEmpty();
    }

    @Test
    void aFileWithoutTheKeyColumnIsAConfigurationError() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv", "id,email\n1,a@example.com\n"));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("no column program_membership_id").contains("columns");
    }

    @Test
    void theGuardStopsARunWhereMostRowsChangedAndForceLetsItThrough() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv", members(10, "old")));
        assertThat(fixture.run("run").exitCode()).isZero();
        hang.clearRequests();
        fixture.file("members.csv", members(10, "new"));

        CliRun guarded = fixture.run("run");

        assertThat(guarded.exitCode()).isEqualTo(3);
        assertThat(guarded.out()).contains("10 changes planned for 10 members already synced, more than max-changes 50% (5)")
                .contains("m0: email m***@old.example.com -> m***@new.example.com");
        assertThat(hang.requests()).isEmpty();

        CliRun forced = fixture.run("run", "--force");

        assertThat(forced.exitCode()).isZero();
        assertThat(hang.served("PATCH")).hasSize(10);
    }

    @Test
    void aHigherMaxChangesOnTheCommandLineAlsoLetsItThrough() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv", members(10, "old")));
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.file("members.csv", members(10, "new"));

        assertThat(fixture.run("run", "--max-changes", "10").exitCode()).isZero();
    }

    @Test
    void tooManyRejectedRowsMeansTheWrongFileAndNothingIsSent() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv",
                HEADER + "m1,ext,a@example.com\nm2,ext,not-mail\nm3,ext,nope\n"));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).contains("2 of 3 rows were rejected, more than max-rejected 10%");
        assertThat(hang.requests()).isEmpty();
    }

    @Test
    void aDryRunShowsTheChangesFieldByFieldAndSendsNothing() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv", members(4, "old")));
        assertThat(fixture.run("run").exitCode()).isZero();
        hang.clearRequests();
        fixture.file("members.csv", members(4, "old").replace("m2@old", "m2@new"));

        CliRun dry = fixture.run("run", "--dry-run");

        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("members: 1 to send, 3 unchanged, 0 rejected")
                .contains("m2: email m***@old.example.com -> m***@new.example.com");
        assertThat(hang.requests()).isEmpty();

        CliRun real = fixture.run("run");

        assertThat(real.exitCode()).isZero();
        assertThat(hang.served("PATCH")).hasSize(1);
    }

    @Test
    void failuresOutputIsACsvThatSyncsOnceFixed() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv",
                HEADER + "m1,ext-1,m1@example.com\nm2,ext-2,m2-at-example.com\n"));
        fixture.settings().put("member-sync.feeds.members.max-rejected", "50%");
        assertThat(fixture.run("run").exitCode()).isEqualTo(2);
        Path report = fixture.folder().resolve("fix.csv");

        assertThat(fixture.run("failures", "--output", report.toString()).exitCode()).isZero();
        String csv = Files.readString(report);
        assertThat(csv).startsWith("program_membership_id,external_user_id,email,error_kind,error_line,error_field,error_reason")
                .contains("m2,ext-2,m2-at-example.com,rejected,3,email,");

        Files.writeString(report, csv.replace("m2-at-example.com", "m2@example.com"));
        fixture.feed("fixes", "hang", report);
        CliRun fixed = fixture.run("run", "--feed", "fixes");

        assertThat(fixed.exitCode()).as(fixed.out()).isZero();
        assertThat(hang.membership("m2").orElseThrow().get("email").stringValue()).isEqualTo("m2@example.com");
    }

    private static String members(int n, String domain) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            csv.append("m").append(i).append(",ext-").append(i).append(",m").append(i).append('@').append(domain)
                    .append(".example.com\n");
        }
        return csv.toString();
    }

}
