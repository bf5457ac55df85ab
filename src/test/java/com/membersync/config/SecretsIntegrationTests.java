package com.membersync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys as Kubernetes hands them out: a mounted Secret read through Spring Boot's config tree, one file per key
 * ({@code member-sync/vendors/<account>/api-key}); and wherever they come from, they appear in no output, report or
 * table of the state store.
 */
class SecretsIntegrationTests {

    private SyncFixture fixture;
    private Path secrets;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture("secrets");
        secrets = fixture.folder().resolve("secrets");
        fixture.feed("members", "hang", fixture.file("members.csv", SyncFixture.hangMembers("pm", 5)));
        fixture.account("decoda-south", "decoda", "south");
        fixture.feed("plans", "decoda-south", fixture.file("plans.csv", "membership_id,name,price\nplan_1,Glow,9900\n"));
        // the keys come from the mounted Secret only
        fixture.settings().remove("member-sync.vendors.hang.api-key");
        fixture.settings().remove("member-sync.vendors.decoda-south.api-key");
        secret("member-sync/vendors/hang/api-key", fixture.sandbox().hang().credentials().get("api-key") + "\n");
        secret("member-sync/vendors/decoda-south/api-key",
                fixture.sandbox().decoda("south").credentials().get("api-key") + "\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Test
    void keysFromAMountedSecretReachTheirAccountsAndNothingElse() {
        ReportedRun run = fixture.report("run", "--spring.config.import=configtree:" + secrets + "/");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(fixture.sandbox().hang().served("PATCH")).hasSize(5)
                .allSatisfy(r -> assertThat(r.header("X-API-Key")).isEqualTo("hang-sandbox-key"));
        List<RecordedRequest> south = fixture.sandbox().decoda("south").served("PUT");
        assertThat(south).hasSize(1);
        assertThat(south.getFirst().header("TENANT")).isEqualTo("sandbox-tenant-south");
        assertNowhere("hang-sandbox-key", run);
        assertNowhere("decoda-sandbox-key", run);
    }

    @Test
    void aKeyMissingFromTheSecretNamesItsFileAndSetting() throws IOException {
        Files.delete(secrets.resolve("member-sync/vendors/decoda-south/api-key"));

        ReportedRun run = fixture.report("run", "--spring.config.import=configtree:" + secrets + "/");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.vendors.decoda-south.api-key")
                .contains("member-sync/vendors/decoda-south/api-key");
    }

    private void secret(String path, String value) throws IOException {
        Path file = secrets.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, value);
    }

    /** Not in what the run printed, not in its report, not in any text column of the state store. */
    private void assertNowhere(String key, ReportedRun run) {
        assertThat(run.output()).doesNotContain(key);
        assertThat(run.report().toString()).doesNotContain(key);
        var jdbc = fixture.schema().jdbc();
        List<String[]> columns = jdbc.query("""
                SELECT table_name, column_name FROM information_schema.columns
                 WHERE table_schema = ? AND data_type IN ('text', 'character varying')""",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, fixture.schema().name());
        assertThat(columns).isNotEmpty();
        for (String[] column : columns) {
            Long found = jdbc.queryForObject("SELECT COUNT(*) FROM " + column[0] + " WHERE " + column[1] + " LIKE ?",
                    Long.class, "%" + key + "%");
            assertThat(found).as("%s.%s holds the key", column[0], column[1]).isZero();
        }
    }
}
