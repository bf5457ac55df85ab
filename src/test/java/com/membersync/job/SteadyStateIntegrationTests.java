package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.nio.file.Path;
import java.util.Locale;
import org.assertj.core.api.AbstractIntegerAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nightly steady state: rows known unchanged by their fingerprint skip the diff, and yet a single changed
 * field among thousands of rows is still found and sent.
 */
class SteadyStateIntegrationTests {

    private static final int MEMBERS = 2_000;

    private SyncFixture fixture;
    private Path csv;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("steady");
        fixture.unthrottled();
        csv = fixture.file("members.csv", members(-1, null));
        fixture.feed("members", "hang", csv);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void aSingleChangedFieldAmongTwoThousandRowsIsTheOnlyRequest() throws Exception {
        given(fixture.run("run")).isZero();
        fixture.sandbox().hang().clearRequests();
        fixture.file("members.csv", members(1_234, "last_name"));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(fixture.sandbox().hang().served("PATCH")).singleElement().satisfies(patch -> {
            assertThat(patch.path()).isEqualTo("/v2/program-memberships/pm_0001234");
            assertThat(patch.body()).contains("\"last_name\":\"Changed\"");
        });
        assertThat(run.counts("members")).startsWith("read=2000 unchanged=1999 synced=1 rejected=0 refused=0 failed=0 pending=0");
    }

    @Test
    void aCachedStateWithoutFingerprintsIsDiffedInFullOnceThenKnownUnchanged() throws Exception {
        given(fixture.run("run")).isZero();
        // as after an upgrade from a version without fingerprints, or a normalisation change
        fixture.schema().jdbc().update("UPDATE member_state SET row_hash = NULL");
        fixture.sandbox().hang().clearRequests();

        ReportedRun diffed = fixture.report("run");

        assertThat(diffed.exitCode()).as(diffed.err()).isZero();
        assertThat(fixture.sandbox().hang().requests()).isEmpty();
        assertThat(diffed.counts("members")).startsWith("read=2000 unchanged=2000 synced=0");
        assertThat(fixture.schema().jdbc().queryForObject(
                "SELECT COUNT(*) FROM member_state WHERE row_hash IS NULL", Long.class)).isZero();

        fixture.file("members.csv", members(7, "email"));
        CliRun changed = fixture.run("run");

        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(fixture.sandbox().hang().served("PATCH")).extracting(RecordedRequest::path)
                .containsExactly("/v2/program-memberships/pm_0000007");
    }

    @Test
    void surroundingSpacesAndBlankCellsDoNotMakeARowLookChanged() throws Exception {
        given(fixture.run("run")).isZero();
        fixture.sandbox().hang().clearRequests();
        fixture.file("members.csv", members(-1, null).replace(",Last1,", ",  Last1 ,"));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(fixture.sandbox().hang().requests()).isEmpty();
    }

    @Test
    void theEmbeddedStoreKnowsUnchangedRowsAsPostgresqlDoes() throws Exception {
        // the fingerprints come back by a plain query there, not PostgreSQL's COPY
        fixture.settings().put("spring.datasource.url", "jdbc:h2:file:" + fixture.folder().resolve("state")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        fixture.settings().remove("spring.datasource.username");
        fixture.settings().remove("spring.datasource.password");
        given(fixture.run("run")).isZero();
        fixture.sandbox().hang().clearRequests();

        ReportedRun unchanged = fixture.report("run", "--logging.level.com.membersync.plan.PlanReader=DEBUG");
        fixture.file("members.csv", members(42, "email"));
        CliRun changed = fixture.run("run");

        assertThat(unchanged.exitCode()).as(unchanged.err()).isZero();
        assertThat(unchanged.counts("members")).startsWith("read=2000 unchanged=2000 synced=0");
        assertThat(unchanged.out())
                .as("known unchanged by fingerprint, not by the full diff").contains("members: 2000 members' fingerprints loaded");
        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(fixture.sandbox().hang().served("PATCH")).extracting(RecordedRequest::path)
                .containsExactly("/v2/program-memberships/pm_0000042");
    }

    private static AbstractIntegerAssert<?> given(CliRun run) {
        return assertThat(run.exitCode()).as(run.err());
    }

    /** {@code changedRow}'s {@code field} gets a new value; -1 changes nothing. */
    private static String members(int changedRow, String field) {
        StringBuilder csv = new StringBuilder("program_membership_id,external_user_id,first_name,last_name,email,phone,birthday\n");
        for (int i = 0; i < MEMBERS; i++) {
            String lastName = i == changedRow && "last_name".equals(field) ? "Changed" : "Last" + (i % 991);
            String email = i == changedRow && "email".equals(field) ? "new" + i + "@example.com" : "member" + i + "@example.com";
            csv.append(String.format(Locale.ROOT, "pm_%07d,crm-%07d,First%d,%s,%s,,19%02d-%02d-%02d%n",
                    i, i, i % 997, lastName, email, 50 + i % 50, 1 + i % 12, 1 + i % 28));
        }
        return csv.toString();
    }
}
