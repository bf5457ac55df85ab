package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SourceTables;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hsqldb.jdbc.JDBCDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JDBC driver that is not in the jar, added as an operator adds SQL Server's or Oracle's: a folder given as
 * {@code loader.path} to the built jar, run as its own process. HSQLDB stands in for such a database; it pages
 * with the SQL-standard OFFSET and FETCH that member-sync uses for a database it has no dialect for.
 */
class QueryFeedDriverIntegrationTests {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("driver").unthrottled();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void aDriverInAFolderOnLoaderPathReadsAQueryFeedInPagesAndWithoutItTheUrlIsRefusedNamingTheSetting()
            throws Exception {
        String url = "jdbc:hsqldb:file:" + fixture.folder().resolve("crm").resolve("crm");
        Set<String> keys = crmMembers(url, 250);
        fixture.settings().put("member-sync.source.url", url);
        fixture.settings().put("member-sync.source.username", "SA");
        fixture.settings().put("member-sync.source.password", "");
        // labels in double quotes: HSQLDB, like Oracle, upper-cases the unquoted ones
        SourceTables.queryFeed(fixture.settings(), "members", "hang", """
                SELECT member_code AS "program_membership_id", crm_id AS "external_user_id" FROM crm_members""");
        fixture.settings().put("member-sync.chunk-size", 100);
        fixture.settings().put("member-sync.feeds.members.max-rejected", 2); // the two rows without a key
        Path drivers = Files.createDirectories(fixture.folder().resolve("drivers"));

        // launched alike, so that the driver folder is the only difference
        MemberSyncProcess without = MemberSyncProcess.startJar(fixture.folder(), fixture.settings(), List.of("-Xmx256m"),
                "run");

        assertThat(without.waitFor(RUN_TIMEOUT)).as(without.output()).isEqualTo(78);
        assertThat(without.output()).contains("member-sync.source.url").contains("loader.path");

        Path driver = Path.of(JDBCDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(driver, drivers.resolve(driver.getFileName()));
        Path report = fixture.folder().resolve("report.json");
        MemberSyncProcess with = MemberSyncProcess.startJar(fixture.folder(), fixture.settings(),
                List.of("-Xmx256m", "-Dloader.path=" + drivers), "run", "--report", report.toString());

        assertThat(with.waitFor(RUN_TIMEOUT)).as(with.output()).isEqualTo(2);
        assertThat(ReportedRun.counts(ReportedRun.read(report), "members"))
                .startsWith("read=" + (keys.size() + 2) + " unchanged=0 synced=" + keys.size() + " rejected=2 refused=0 failed=0");
        assertThat(fixture.sandbox().hang().memberships().keySet()).isEqualTo(keys);
        assertThat(SyncFixture.perPath(fixture.sandbox().hang().served("PATCH")).values()).containsOnly(1L);
    }

    /** {@code n} members hd_000... with a case twin for every fifth, and two rows without a key; then closed. */
    private static Set<String> crmMembers(String url, int n) throws Exception {
        Set<String> keys = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(url, "SA", "");
                Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE crm_members (member_code VARCHAR(32), crm_id VARCHAR(32))");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_members VALUES (?, ?)")) {
                for (int i = 0; i < n; i++) {
                    for (String key : i % 5 == 0 ? List.of("hd_%03d", "HD_%03d") : List.of("hd_%03d")) {
                        insert.setString(1, key.formatted(i));
                        insert.setString(2, "crm-" + i);
                        insert.addBatch();
                        keys.add(key.formatted(i));
                    }
                }
                insert.setString(1, null);
                insert.setString(2, "no-key-1");
                insert.addBatch();
                insert.setString(1, null);
                insert.setString(2, "no-key-2");
                insert.addBatch();
                insert.executeBatch();
            }
            // the file database is member-sync's from here on: one process at a time holds it
            statement.execute("SHUTDOWN");
        }
        return keys;
    }
}
