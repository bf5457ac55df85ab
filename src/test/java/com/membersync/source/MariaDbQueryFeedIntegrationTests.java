package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.SourceProperties;
import com.membersync.sandbox.DecodaSandbox;
import com.membersync.sandbox.HangSandbox;
import com.membersync.sandbox.MayarSandbox;
import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SourceTables;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import com.membersync.support.TestDatabase;
import com.membersync.support.TestMariaDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Query feeds on a real MariaDB (a database of its own, utf8mb4_general_ci: case-insensitive, as MariaDB and MySQL
 * are by default): thousands of members paged in pages smaller than the table, keys that differ only by case or by
 * a trailing space, resume after a kill, and each SQL type as a CSV export would hold it.
 */
class MariaDbQueryFeedIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final int MEMBERS = 1500;
    private static final String QUERY =
            "SELECT member_code AS program_membership_id, crm_id AS external_user_id, email FROM crm_members";

    private SyncFixture fixture;
    private TestDatabase.Schema source;
    private HangSandbox hang;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("mariadb").unthrottled();
        source = SourceTables.createOnMariaDb("mariadb", fixture.settings());
        hang = fixture.sandbox().hang();
        SourceTables.queryFeed(fixture.settings(), "members", "hang", QUERY);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        source.close();
    }

    @Test
    void keysThatDifferOnlyByCaseAreTwoMembersEachSentOnceInPagesSmallerThanTheTableAndARerunSendsNothing() {
        Set<String> keys = crmMembers(MEMBERS);
        // Equal to mq_00042 under PAD SPACE; member-sync trims keys, so it is the same member: rejected as a duplicate.
        source.jdbc().update("INSERT INTO crm_members (member_code, crm_id) VALUES ('mq_00042 ', 'crm-padded')");
        fixture.settings().put("member-sync.chunk-size", 100);

        ReportedRun first = fixture.report("run");

        assertThat(first.exitCode()).as(first.err()).isEqualTo(2);
        int read = keys.size() + 1;
        assertThat(first.counts("members"))
                .startsWith("read=" + read + " unchanged=0 synced=" + keys.size() + " rejected=1 refused=0 failed=0");
        assertThat(hang.memberships().keySet()).isEqualTo(keys);
        assertThat(SyncFixture.perPath(hang.served("PATCH"))).hasSize(keys.size()).allSatisfy((path, sent) ->
                assertThat(sent).as(path).isEqualTo(1L));
        assertThat(hang.membership("MQ_00003").orElseThrow().get("external_user_id").stringValue()).isEqualTo("crm-twin-3");
        assertThat(hang.membership("mq_00003").orElseThrow().get("external_user_id").stringValue()).isEqualTo("crm-3");
        assertThat(hang.membership("mq_00042").orElseThrow().get("external_user_id").stringValue()).isEqualTo("crm-42");
        assertThat(fixture.run("failures").out()).contains("duplicate program_membership_id 'mq_00042'");

        hang.clearRequests();
        ReportedRun second = fixture.report("run");

        assertThat(second.exitCode()).as(second.err()).isEqualTo(2);
        assertThat(hang.requests()).isEmpty();
        assertThat(second.counts("members"))
                .startsWith("read=" + read + " unchanged=" + keys.size() + " synced=0 rejected=1 refused=0 failed=0");
    }

    @Test
    void aReaderStoppedAfterAnyRowResumesWithExactlyTheRestWhateverTheCollationSays() {
        source.jdbc().execute("CREATE TABLE ci (k VARCHAR(20) COLLATE utf8mb4_general_ci, INDEX (k))");
        source.jdbc().execute("CREATE TABLE latin (k VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_general_ci)");
        source.jdbc().execute("CREATE TABLE nopad (k VARCHAR(20) COLLATE utf8mb4_nopad_bin PRIMARY KEY)");
        for (String table : List.of("ci", "latin", "nopad")) {
            source.jdbc().update("INSERT INTO " + table + " VALUES ('mq_2'), ('MQ_1'), ('b'), ('mq_1 '), ('mq_1'),"
                    + " ('Mq_1'), ('B'), ('é'), ('É'), ('MQ_2')");
        }
        // byte order: upper case before lower case, 'mq_1' before 'mq_1 ', UTF-8's é after ASCII
        List<String> inByteOrder = List.of("B", "MQ_1", "MQ_2", "Mq_1", "b", "mq_1", "mq_1 ", "mq_2", "É", "é");
        try (SourceDatabase database = new SourceDatabase(
                new SourceProperties(source.url(), source.username(), source.password(), null))) {
            for (String table : List.of("ci", "latin", "nopad")) {
                ReaderRuns.readsEveryRowOnceWhereverInterrupted(database,
                        "SELECT k AS program_membership_id FROM " + table, 3, inByteOrder);
            }
        }
    }

    @Test
    void aRunKilledWhilePlanningResumesAfterTheLastCommittedKeyWithoutSkippingOrRepeatingAMember() throws Exception {
        Set<String> keys = crmMembers(MEMBERS);
        fixture.settings().put("member-sync.chunk-size", 100);
        fixture.settings().put("logging.level.com.membersync", "INFO");

        long plannedAtKill = fixture.killWhilePlanning(300, keys.size(), RUN_TIMEOUT);
        assertThat(hang.requests()).isEmpty();

        // Rows removed before the checkpoint and added after it must not shift where the rerun continues.
        // (by the bytes: under the column's collation MQ_00000 would also delete mq_00000)
        source.jdbc().update("DELETE FROM crm_members WHERE CAST(member_code AS BINARY) IN ('MQ_00000', 'MQ_00003')");
        source.jdbc().update("INSERT INTO crm_members (member_code, crm_id) VALUES ('mq_99999', 'crm-new')");
        MemberSyncProcess rerun = MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run");
        int exit = rerun.waitFor(RUN_TIMEOUT);

        assertThat(exit).as(rerun.output()).isZero();
        assertThat(SyncFixture.resumedAfter("members", rerun)).isEqualTo(plannedAtKill).isGreaterThanOrEqualTo(300);
        // every row read exactly once across both runs: those first seen, plus the one added
        assertThat(fixture.planned()).isEqualTo(keys.size() + 1);
        Set<String> expected = new TreeSet<>(keys);
        expected.add("mq_99999");
        assertThat(hang.memberships().keySet()).isEqualTo(expected);
        assertThat(SyncFixture.perPath(hang.served("PATCH")).values()).hasSize(expected.size()).containsOnly(1L);
    }

    @Test
    void dateTimeTimestampDecimalEnumAndNullArriveAsACsvWouldHoldThemWhateverTheSessionZone() {
        source.jdbc().execute("""
                CREATE TABLE subscriptions (code VARCHAR(10), product CHAR(36), period DECIMAL(6, 2),
                                            state ENUM('active', 'inactive'), next_at DATETIME, expires TIMESTAMP NULL)""");
        // TIMESTAMP takes and shows values in the session's zone: these are written at +07:00
        source.jdbc().execute("SET time_zone = '+07:00'");
        source.jdbc().update("""
                INSERT INTO subscriptions VALUES
                  ('MBR1', 'prod-1', 3.00, 'active', '2026-07-01 08:00:00', '2026-09-20 00:00:00'),
                  ('MBR2', 'prod-1', 1.50, 'active', NULL, NULL),
                  ('MBR3', 'prod-1', NULL, NULL, NULL, NULL),
                  ('MBR4', 'prod-1', 2, 'inactive', '0000-00-00 00:00:00', NULL)""");
        // and the feed's connection asks the driver for yet another zone, and to "preserve instants" into the JVM's
        fixture.settings().put("member-sync.source.url", source.url()
                + "?connectionTimeZone=-05:00&forceConnectionTimeZoneToSession=true&preserveInstants=true");
        SourceTables.queryFeed(fixture.settings(), "members", "mayar", """
                SELECT code AS memberId, product AS productId, period AS membershipMonthlyPeriod, state AS status,
                       next_at AS nextPayment, expires AS expiredAt FROM subscriptions""");
        fixture.settings().put("member-sync.feeds.members.zone", "Asia/Jakarta");
        fixture.settings().put("member-sync.feeds.members.max-rejected", "50%"); // 2 of 4 rows are bad on purpose
        MayarSandbox mayar = fixture.sandbox().mayar();

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        Map<String, JsonNode> posts = SyncFixture.bodies(mayar);
        assertThat(posts).containsOnlyKeys("/hl/v2/memberships/members/MBR1/update", "/hl/v2/memberships/members/MBR3/update");
        // DECIMAL 3.00 is the whole number 3; DATETIME is read in the feed's zone; TIMESTAMP is the instant written.
        assertThat(posts.get("/hl/v2/memberships/members/MBR1/update")).isEqualTo(JSON.readTree("""
                {"productId":"prod-1","membershipMonthlyPeriod":3,"status":"active",
                 "nextPayment":"2026-07-01T01:00:00Z","expiredAt":"2026-09-19T17:00:00Z"}"""));
        // NULL means "not managed": left out
        assertThat(posts.get("/hl/v2/memberships/members/MBR3/update")).isEqualTo(JSON.readTree("""
                {"productId":"prod-1"}"""));
        String failures = fixture.run("failures").out();
        assertThat(failures).contains("members line 2 key MBR2: rejected membershipMonthlyPeriod").contains("1.50");
        // a zero date has no value a CSV could hold but its text: rejected by name, not dropped as "not managed"
        assertThat(failures).contains("members line 4 key MBR4: rejected nextPayment").contains("0000-00-00");
    }

    @Test
    void booleansTinyintJsonDateAndDecimalCentsArriveAsACsvWouldHoldThem() {
        source.jdbc().execute("""
                CREATE TABLE plans (code VARCHAR(20), name VARCHAR(50), price DECIMAL(10, 2), renews BOOLEAN,
                                    archived TINYINT(1), frequency ENUM('MONTHLY', 'QUARTERLY'), discounts JSON)""");
        source.jdbc().update("""
                INSERT INTO plans VALUES ('mem_glow', 'Glow Club', 9900.00, TRUE, 0, 'MONTHLY',
                                          '[{"itemId": "svc_botox", "discountPercentage": 15}]'),
                                         ('mem_skin', 'Skin Starter', 4900, FALSE, 1, 'QUARTERLY', NULL)""");
        source.jdbc().execute("CREATE TABLE people (code VARCHAR(20), born DATE, family LONGTEXT)");
        source.jdbc().update("""
                INSERT INTO people VALUES ('pm_1', '1989-02-14',
                  '[{"first_name": "Kid", "birthday": "2015-06-01", "status": "active"}]')""");
        fixture.settings().remove("member-sync.feeds.members.query");
        fixture.settings().remove("member-sync.feeds.members.vendor");
        SourceTables.queryFeed(fixture.settings(), "plans", "decoda", """
                SELECT code AS membership_id, name, price, renews AS autoRenew, archived AS isArchived,
                       frequency AS billingFrequency, discounts FROM plans""");
        SourceTables.queryFeed(fixture.settings(), "people", "hang", """
                SELECT code AS program_membership_id, born AS birthday, family AS family_member_birthdays FROM people""");
        DecodaSandbox decoda = fixture.sandbox().decoda();

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode glow = decoda.membership("mem_glow").orElseThrow();
        assertThat(glow.get("price").asLong()).isEqualTo(9900);
        assertThat(glow.get("autoRenew").asBoolean()).isTrue();
        assertThat(glow.get("isArchived").asBoolean()).isFalse();
        assertThat(glow.get("billingFrequency").stringValue()).isEqualTo("MONTHLY");
        assertThat(SyncFixture.bodies(decoda).get("/inventory/memberships/mem_glow").get("discounts"))
                .isEqualTo(JSON.readTree("""
                        [{"itemId":"svc_botox","discountPercentage":15}]"""));
        JsonNode skin = decoda.membership("mem_skin").orElseThrow();
        assertThat(skin.get("price").asLong()).isEqualTo(4900);
        assertThat(skin.get("autoRenew").asBoolean()).isFalse();
        assertThat(skin.get("isArchived").asBoolean()).isTrue();
        assertThat(skin.get("billingFrequency").stringValue()).isEqualTo("QUARTERLY");
        assertThat(SyncFixture.bodies(hang).get("/v2/program-memberships/pm_1")).isEqualTo(JSON.readTree("""
                {"birthday":"1989-02-14",
                 "family_member_birthdays":[{"first_name":"Kid","birthday":"2015-06-01","status":"active"}]}"""));
        ReportedRun again = fixture.report("run");
        assertThat(again.counts("plans")).startsWith("read=2 unchanged=2 synced=0");
        assertThat(again.counts("people")).startsWith("read=1 unchanged=1 synced=0");
    }

    @Test
    void aJdbcMysqlUrlReadsTheSameDatabaseThroughTheBundledDriver() {
        Set<String> keys = crmMembers(20);
        fixture.settings().put("member-sync.source.url", source.url().replace("jdbc:mariadb:", "jdbc:mysql:"));

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(hang.memberships().keySet()).isEqualTo(keys);
    }

    /** MariaDB refuses NEXTVAL in a read-only transaction before running anything: a query to fix, exit 78. */
    @Test
    void aQueryThatWouldWriteIsRefusedByTheReadOnlySessionAndExits78NamingTheQuery() {
        crmMembers(10);
        source.jdbc().execute("CREATE SEQUENCE touched");
        SourceTables.queryFeed(fixture.settings(), "members", "hang",
                "SELECT member_code AS program_membership_id, NEXTVAL(touched) AS external_user_id FROM crm_members");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.feeds.members.query").contains("READ ONLY");
        assertThat(hang.requests()).isEmpty();
        assertThat(source.jdbc().queryForObject("SELECT NEXTVAL(touched)", Long.class)).isEqualTo(1L);
    }

    @Test
    void aQueryLongerThanTheStatementTimeoutIsCancelledAndTheRunFailsNamingTheSetting() {
        crmMembers(10);
        SourceTables.queryFeed(fixture.settings(), "members", "hang",
                "SELECT member_code AS program_membership_id, SLEEP(1) AS external_user_id FROM crm_members");
        fixture.settings().put("member-sync.source.statement-timeout", "2s");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern("members: feed members: a query on the source database ran longer than"
                + " member-sync.source.statement-timeout \\(2s\\) and was cancelled");
        assertThat(hang.requests()).isEmpty();
    }

    @Test
    void anUnknownDatabaseExits78NamingTheSetting() {
        fixture.settings().put("member-sync.source.url", TestMariaDb.withDatabase(source.url(), "no_such_crm"));

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.source.url").contains("does not exist");
    }

    /**
     * {@code crm_members} in a case-insensitive column with an index, {@code n} members mq_00000... and, for every
     * third one, a twin that differs only by case (MQ_00003 beside mq_00003), inserted in random order.
     *
     * @return every key, as member-sync should send them
     */
    private Set<String> crmMembers(int n) {
        source.jdbc().execute("""
                CREATE TABLE crm_members (
                    id          INT AUTO_INCREMENT PRIMARY KEY,
                    member_code VARCHAR(32) COLLATE utf8mb4_general_ci,
                    crm_id      VARCHAR(32),
                    email       VARCHAR(64),
                    INDEX (member_code))""");
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {"mq_%05d".formatted(i), "crm-" + i, "member" + i + "@example.com"});
            if (i % 3 == 0) {
                rows.add(new Object[] {"MQ_%05d".formatted(i), "crm-twin-" + i, "twin" + i + "@example.com"});
            }
        }
        Collections.shuffle(rows, new Random(17));
        source.jdbc().batchUpdate("INSERT INTO crm_members (member_code, crm_id, email) VALUES (?, ?, ?)", rows);
        Set<String> keys = new TreeSet<>();
        rows.forEach(row -> keys.add((String) row[0]));
        return keys;
    }
}
