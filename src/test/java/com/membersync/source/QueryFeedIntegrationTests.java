package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.SourceProperties;
import com.membersync.sandbox.HangSandbox;
import com.membersync.sandbox.MayarSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SourceTables;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import com.membersync.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feeds that read members from a query on a real PostgreSQL source database (a schema of its own, 2,000 rows):
 * the same requests as from the equivalent CSV, keyset resume after a kill, rejections naming the key, and the
 * checks made before anything is sent.
 */
class QueryFeedIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MEMBERS = 2_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String QUERY = """
            SELECT member_code AS program_membership_id, crm_id AS external_user_id, first_name, last_name, email,
                   mobile, birthday, family AS family_member_birthdays
            FROM crm_members;""";

    private SyncFixture fixture;
    private TestDatabase.Schema source;
    private HangSandbox hang;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("query");
        source = SourceTables.create("query", fixture.settings());
        hang = fixture.sandbox().hang();
        fixture.unthrottled();
        SourceTables.queryFeed(fixture.settings(), "members", "hang", QUERY);
        fixture.settings().put("member-sync.feeds.members.columns.phone", "mobile");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        source.close();
    }

    @Test
    void sendsWhatTheEquivalentCsvSendsRejectsOnlyTheBadRowByKeyAndASecondRunSendsNothing() throws Exception {
        SourceTables.crmMembers(source, MEMBERS);
        source.jdbc().update("UPDATE crm_members SET email = 'not-an-email' WHERE member_code = 'pm_01242'");

        ReportedRun first = fixture.report("run");

        assertThat(first.exitCode()).as(first.err()).isEqualTo(2);
        assertThat(first.counts("members")).startsWith("read=2000 unchanged=0 synced=1999 rejected=1 refused=0 failed=0");
        Map<String, JsonNode> fromQuery = SyncFixture.bodies(hang);
        assertThat(fromQuery).hasSize(MEMBERS - 1).doesNotContainKey("/v2/program-memberships/pm_01242");
        // Line = the row's ordinal in key order; the key is printed next to it.
        CliRun failures = fixture.run("failures");
        assertThat(failures.out()).contains("members line 1243 key pm_01242: rejected email");
        assertThat(failures.out()).contains("1 rows did not sync");

        try (SyncFixture csvFixture = new SyncFixture("query_csv")) {
            csvFixture.unthrottled();
            csvFixture.feed("members", "hang", csvFixture.file("members.csv", equivalentCsv()));
            csvFixture.settings().put("member-sync.feeds.members.columns.phone", "mobile");
            CliRun fromCsvRun = csvFixture.run("run");
            assertThat(fromCsvRun.exitCode()).as(fromCsvRun.err()).isEqualTo(2);
            Map<String, JsonNode> fromCsv = SyncFixture.bodies(csvFixture.sandbox().hang());
            assertThat(fromQuery).isEqualTo(fromCsv);
        }
        // a spot check that the SQL types arrived as a CSV would have them
        assertThat(fromQuery.get("/v2/program-memberships/pm_00003")).isEqualTo(JSON.readTree("""
                {"external_user_id":"crm-3","first_name":"Aisha","last_name":"Khan","email":"member3@example.com",
                 "phone":"+14155550003","birthday":"1960-04-21",
                 "family_member_birthdays":[{"first_name":"Kid3","birthday":"2005-01-04","status":"inactive"}]}"""));
        // NULLs are "not managed": left out
        assertThat(fromQuery.get("/v2/program-memberships/pm_00035")).isEqualTo(JSON.readTree("""
                {"external_user_id":"crm-35","first_name":"Chloé","last_name":"Smith","email":"member35@example.com"}"""));

        hang.clearRequests();
        ReportedRun second = fixture.report("run");

        assertThat(second.exitCode()).as(second.err()).isEqualTo(2);
        assertThat(hang.requests()).isEmpty();
        assertThat(second.counts("members")).startsWith("read=2000 unchanged=1999 synced=0 rejected=1 refused=0 failed=0");
    }

    @Test
    void aRunKilledWhilePlanningResumesAfterTheLastCommittedKeyEvenWhenRowsChangedMeanwhile() throws Exception {
        SourceTables.crmMembers(source, MEMBERS);
        fixture.settings().put("member-sync.chunk-size", 100);
        fixture.settings().put("logging.level.com.membersync", "INFO");

        long plannedAtKill = fixture.killWhilePlanning(300, MEMBERS, RUN_TIMEOUT);
        assertThat(hang.requests()).isEmpty();

        // Rows removed before the checkpoint and added after it must not shift where the rerun continues.
        source.jdbc().update("DELETE FROM crm_members WHERE member_code IN ('pm_00003', 'pm_00004')");
        source.jdbc().update("INSERT INTO crm_members (member_code, crm_id) VALUES ('pm_99999', 'crm-new')");
        MemberSyncProcess rerun = MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run");
        int exit = rerun.waitFor(RUN_TIMEOUT);

        assertThat(exit).as(rerun.output()).isZero();
        assertThat(SyncFixture.resumedAfter("members", rerun)).isEqualTo(plannedAtKill).isGreaterThanOrEqualTo(300);
        // every row read exactly once across both runs: the 2,000 first seen, plus the one added
        assertThat(fixture.planned()).isEqualTo(MEMBERS + 1);
        var memberships = hang.memberships();
        assertThat(memberships).hasSize(MEMBERS + 1);
        assertThat(memberships.get("pm_99999").get("external_user_id").stringValue()).isEqualTo("crm-new");
        assertThat(memberships.get("pm_00003").get("external_user_id").stringValue()).isEqualTo("crm-3");
        assertThat(SyncFixture.perPath(hang.served("PATCH")).values()).containsOnly(1L);
        assertThat(rerun.output()).doesNotContain("member3@example.com").doesNotContain("crm-3");
    }

    @Test
    void sqlTypesAreConvertedAsACsvWouldHoldThem() throws Exception {
        String product = "7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        source.jdbc().execute("""
                CREATE TABLE subscriptions (code TEXT, product UUID, period NUMERIC(6, 2), state TEXT,
                                            next_at TIMESTAMP, expires TIMESTAMPTZ)""");
        source.jdbc().update("""
                INSERT INTO subscriptions VALUES
                  ('MBR1', ?::uuid, 3.00, 'active', '2026-07-01 08:00:00', '2026-09-20 00:00:00+07'),
                  ('MBR2', ?::uuid, 1.50, 'active', NULL, NULL),
                  ('MBR3', ?::uuid, NULL, NULL, NULL, NULL)""", product, product, product);
        MayarSandbox mayar = fixture.sandbox().mayar();
        fixture.settings().remove("member-sync.feeds.members.columns.phone");
        SourceTables.queryFeed(fixture.settings(), "members", "mayar", """
                SELECT code AS "memberId", product AS "productId", period AS "membershipMonthlyPeriod", state AS status,
                       next_at AS "nextPayment", expires AS "expiredAt" FROM subscriptions""");
        fixture.settings().put("member-sync.feeds.members.zone", "Asia/Jakarta");
        fixture.settings().put("member-sync.feeds.members.max-rejected", "50%"); // 1 of 3 rows is bad on purpose

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        Map<String, JsonNode> posts = SyncFixture.bodies(mayar);
        assertThat(posts).containsOnlyKeys("/hl/v2/memberships/members/MBR1/update", "/hl/v2/memberships/members/MBR3/update");
        // NUMERIC 3.00 is the whole number 3; TIMESTAMP is read in the feed's zone; TIMESTAMPTZ is an instant.
        assertThat(posts.get("/hl/v2/memberships/members/MBR1/update")).isEqualTo(JSON.readTree("""
                {"productId":"%s","membershipMonthlyPeriod":3,"status":"active",
                 "nextPayment":"2026-07-01T01:00:00Z","expiredAt":"2026-09-19T17:00:00Z"}""".formatted(product)));
        // NULL means "not managed": left out
        assertThat(posts.get("/hl/v2/memberships/members/MBR3/update")).isEqualTo(JSON.readTree("""
                {"productId":"%s"}""".formatted(product)));
        CliRun failures = fixture.run("failures");
        assertThat(failures.out()).contains("members line 2 key MBR2: rejected membershipMonthlyPeriod").contains("1.50");
    }

    @Test
    void lineBreaksInsideAValueReachTheVendorAsLfFromAQueryAsFromACsv() throws Exception {
        source.jdbc().execute("CREATE TABLE notes (code TEXT, last_name TEXT)");
        source.jdbc().update("INSERT INTO notes VALUES ('q1', ?), ('q2', ?), ('q3', ?)", "Smith\r\nJones", "Smith\rJones",
                "Smith\nJones");
        fixture.settings().remove("member-sync.feeds.members.columns.phone");
        SourceTables.queryFeed(fixture.settings(), "members", "hang",
                "SELECT code AS program_membership_id, last_name FROM notes");
        // the same cells in a CSV, written with each line break as the database holds it
        fixture.feed("csv-members", "hang", fixture.file("members.csv", "program_membership_id,last_name\r\n"
                + "c1,\"Smith\r\nJones\"\r\nc2,\"Smith\rJones\"\r\nc3,\"Smith\nJones\"\r\n"));

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> sent = hang.requests().stream().map(RecordedRequest::body).distinct().toList();
        assertThat(sent).containsExactly("{\"last_name\":\"Smith\\nJones\"}");
        assertThat(hang.requests()).hasSize(6);
        assertThat(fixture.report("run").counts("members")).startsWith("read=3 unchanged=3 synced=0");
    }

    @Test
    void theSampleSourceTableSyncsAndLoadsTwice() throws Exception {
        String sql = Files.readString(Path.of("sample-data", "members-source.sql"));
        source.jdbc().execute(sql);
        source.jdbc().execute(sql); // an operator may well run it twice
        SourceTables.queryFeed(fixture.settings(), "members", "hang", """
                SELECT member_code AS program_membership_id, crm_id AS external_user_id, first_name, last_name,
                       email, mobile, birthday, family AS family_member_birthdays
                FROM crm_members WHERE NOT archived""");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(hang.memberships()).hasSize(12);
        assertThat(hang.membership("pm_1008").orElseThrow().get("family_member_birthdays")).hasSize(2);
        assertThat(SyncFixture.bodies(hang).get("/v2/program-memberships/pm_1004").has("birthday")).isFalse(); // NULL: not managed
    }

    @Test
    void duplicateAndNullKeysAcrossPagesAreNeitherLostNorReadTwiceAcrossARestart() {
        source.jdbc().execute("CREATE TABLE dup (k TEXT, v TEXT)");
        source.jdbc().update("""
                INSERT INTO dup VALUES ('e', '1'), ('b', '1'), (NULL, '1'), ('a', '1'), ('b', '2'), ('d', '1'),
                  ('b', '3'), ('c', '1'), ('b', '4'), (NULL, '2'), ('d', '2'), ('b', '5')""");
        try (SourceDatabase database = new SourceDatabase(sourceProperties())) {
            // Interrupted after 1..11 rows, the rerun hands out exactly the rest, numbered on from there.
            ReaderRuns.readsEveryRowOnceWhereverInterrupted(database,
                    "SELECT k AS program_membership_id, v AS external_user_id FROM dup", 3,
                    List.of("a", "b", "b", "b", "b", "b", "c", "d", "d", "e", "-", "-"));
        }
    }

    @Test
    void keysEqualUnderANonDeterministicCollationAreTwoMembersEachReadOnce() {
        source.jdbc().execute("CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        source.jdbc().execute("CREATE TABLE ci_members (k TEXT COLLATE ci)");
        source.jdbc().execute("CREATE INDEX ON ci_members (k)");
        source.jdbc().update("INSERT INTO ci_members VALUES ('mq_2'), ('MQ_1'), ('b'), ('mq_1'), ('Mq_1'), ('B'), ('MQ_2')");
        try (SourceDatabase database = new SourceDatabase(sourceProperties())) {
            // Under the collation MQ_1 = mq_1 = Mq_1: compared so, a page ending amid them would skip the others.
            ReaderRuns.readsEveryRowOnceWhereverInterrupted(database, "SELECT k AS program_membership_id FROM ci_members",
                    2, List.of("B", "MQ_1", "MQ_2", "Mq_1", "b", "mq_1", "mq_2"));
        }
    }

    private SourceProperties sourceProperties() {
        return new SourceProperties(source.url(), source.username(), source.password(), null);
    }

    @Test
    void aQueryWithoutTheKeyColumnExits78NamingTheFeedBeforeAnythingIsSent() {
        SourceTables.crmMembers(source, 10);
        SourceTables.queryFeed(fixture.settings(), "members", "hang", "SELECT crm_id AS external_user_id FROM crm_members");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("feed members").contains("program_membership_id").contains("external_user_id");
        assertThat(hang.requests()).isEmpty();
    }

    @Test
    void aQueryTheDatabaseRejectsExits78NamingTheSetting() {
        SourceTables.crmMembers(source, 10);
        SourceTables.queryFeed(fixture.settings(), "members", "hang", "SELECT nothing FROM nowhere");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.feeds.members.query").contains("nowhere");
    }

    @Test
    void anUnreachableSourceDatabaseExits1NamingTheSettingAndAMissingOneExits78() {
        fixture.settings().put("member-sync.source.url", "jdbc:postgresql://127.0.0.1:1/crm");

        CliRun unreachable = fixture.run("run");

        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("member-sync.source.url").contains("cannot reach the source database")
                .doesNotContain("state store");

        fixture.settings().remove("member-sync.source.url");
        CliRun missing = fixture.run("run");

        assertThat(missing.exitCode()).isEqualTo(78);
        assertThat(missing.err()).contains("member-sync.source.url").contains("feed members");
    }

    @Test
    void theQueryRunsReadOnly() {
        SourceTables.crmMembers(source, 10);
        source.jdbc().execute("CREATE SEQUENCE touched");
        SourceTables.queryFeed(fixture.settings(), "members", "hang",
                "SELECT member_code AS program_membership_id, nextval('touched') AS external_user_id FROM crm_members");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("read-only");
        assertThat(hang.requests()).isEmpty();
    }

    /** The equivalent CSV, written from the same table with PostgreSQL's own text forms. */
    private String equivalentCsv() {
        StringBuilder csv = new StringBuilder(
                "program_membership_id,external_user_id,first_name,last_name,email,mobile,birthday,family_member_birthdays\n");
        source.jdbc().query("""
                SELECT member_code, crm_id, first_name, last_name, email, mobile, to_char(birthday, 'YYYY-MM-DD'),
                       family::text FROM crm_members ORDER BY crm_id""", rs -> {
            for (int i = 1; i <= 8; i++) {
                String cell = rs.getString(i);
                csv.append(i > 1 ? "," : "").append(cell == null ? "" : "\"" + cell.replace("\"", "\"\"") + "\"");
            }
            csv.append('\n');
        });
        return csv.toString();
    }
}
