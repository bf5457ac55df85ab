package com.membersync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.DecodaSandbox;
import com.membersync.sandbox.MayarSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Members who leave the export: counted as absent always, deactivated at the vendor only when the feed says so,
 * once, and synced again when they come back; a truncated export never deactivates anyone unguarded.
 */
class AbsentMembersIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PRODUCT = "7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    private SyncFixture fixture;
    private MayarSandbox mayar;
    private DecodaSandbox decoda;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("absent");
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "600/min");
        mayar = fixture.sandbox().mayar();
        decoda = fixture.sandbox().decoda();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void mayarMembersWhoLeaveAreListedByADryRunDeactivatedOnceAndSyncedAgainWhenTheyComeBack() throws Exception {
        // given six members synced, from an export that does not manage their status
        Path csv = mayarFeed("m1", "m2", "m3", "m4", "m5", "m6");
        fixture.settings().put("member-sync.feeds.members.on-absent", "deactivate");
        assertThat(fixture.run("run").exitCode()).isZero();
        // when two of them leave the export
        write(csv, "m1", "m2", "m4", "m6");
        mayar.clearRequests();

        ReportedRun dry = fixture.report("run", "--dry-run");

        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.counts("members")).startsWith("read=4 unchanged=4 synced=0 rejected=0 refused=0 failed=0 pending=0 absent=2");
        assertThat(dry.out())
                .containsPattern("absent m3: last synced \\S+, to deactivate")
                .containsPattern("absent m5: last synced \\S+, to deactivate");
        assertThat(mayar.requests()).isEmpty();

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("members: 2 of 2 absent members deactivated at mayar");
        assertThat(mayar.served("POST")).extracting(RecordedRequest::path).containsExactlyInAnyOrder(
                "/hl/v2/memberships/members/m3/update", "/hl/v2/memberships/members/m5/update");
        assertThat(mayar.served("POST")).allSatisfy(post -> assertThat(JSON.readTree(post.body()))
                .isEqualTo(JSON.readTree("{\"productId\":\"" + PRODUCT + "\",\"status\":\"inactive\"}")));
        assertThat(mayar.member("m3").orElseThrow().get("status").stringValue()).isEqualTo("inactive");
        assertThat(mayar.member("m1").orElseThrow().get("status").stringValue()).isEqualTo("active");

        mayar.clearRequests();
        ReportedRun again = fixture.report("run");

        assertThat(again.exitCode()).isZero();
        assertThat(again.counts("members")).startsWith("read=4 unchanged=4 synced=0 rejected=0 refused=0 failed=0 pending=0 absent=0");
        assertThat(mayar.requests()).as("deactivated once, not again").isEmpty();

        write(csv, "m1", "m2", "m3", "m4", "m6");
        CliRun back = fixture.run("run");

        assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
        assertThat(mayar.served("POST")).extracting(RecordedRequest::path).containsExactly("/hl/v2/memberships/members/m3/update");
        assertThat(JSON.readTree(mayar.served("POST").getFirst().body())).isEqualTo(JSON.readTree(
                "{\"productId\":\"" + PRODUCT + "\",\"membershipMonthlyPeriod\":3,\"status\":\"active\"}"));
        assertThat(mayar.member("m3").orElseThrow().get("status").stringValue()).isEqualTo("active");
        // m5 stays deactivated: its fate is settled, so it is no longer counted as absent
        assertThat(fixture.report("run").counts("members"))
                .isEqualTo("read=5 unchanged=5 synced=0 rejected=0 refused=0 failed=0 pending=0 absent=0");
    }

    @Test
    void aDecodaPlanThatLeavesIsArchivedFromAFreshReadWithNothingElseChanged() throws Exception {
        StringBuilder csv = new StringBuilder("membership_id,name,price\n");
        for (int i = 1; i <= 4; i++) {
            decoda.seed("plan_" + i, (ObjectNode) JSON.readTree("""
                    {"name":"Plan %d","price":1000,"description":"as sold","merchantAccountId":"acct_1",
                     "discounts":[{"itemId":"svc","discountPercentage":10}],"memberCount":7}""".formatted(i)));
            csv.append("plan_").append(i).append(",Plan ").append(i).append(",1000\n");
        }
        Path plans = fixture.file("plans.csv", csv.toString());
        fixture.feed("plans", "decoda", plans);
        fixture.settings().put("member-sync.feeds.plans.on-absent", "deactivate");
        assertThat(fixture.run("run").exitCode()).isZero();
        ObjectNode before = decoda.membership("plan_2").orElseThrow();
        Files.writeString(plans, csv.toString().replace("plan_2,Plan 2,1000\n", ""));
        decoda.clearRequests();

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(decoda.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /inventory/memberships/plan_2", "PUT /inventory/memberships/plan_2");
        ObjectNode after = decoda.membership("plan_2").orElseThrow();
        assertThat(after.get("isArchived").booleanValue()).isTrue();
        before.put("isArchived", true);
        assertThat(JSON.readTree(after.toString())).as("nothing else changed").isEqualTo(JSON.readTree(before.toString()));
    }

    @Test
    void aHeaderOnlyExportWithDeactivateStopsAtTheGuardWithNothingSent() throws Exception {
        Path csv = mayarFeed("m1", "m2", "m3", "m4");
        fixture.settings().put("member-sync.feeds.members.on-absent", "deactivate");
        assertThat(fixture.run("run").exitCode()).isZero();
        write(csv);
        mayar.clearRequests();

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.out()).contains("4 changes planned for 4 members already synced, more than max-changes 50%");
        assertThat(mayar.requests()).isEmpty();
        assertThat(fixture.report("run", "--dry-run").counts("members")).as("nothing was recorded as deactivated")
                .isEqualTo("read=0 unchanged=0 synced=0 rejected=0 refused=0 failed=0 pending=0 absent=4");
    }

    @Test
    void withOnAbsentKeepTheAbsentAreCountedAndNothingIsSentAndARejectedRowIsNotAbsent() throws Exception {
        Path csv = mayarFeed("m1", "m2", "m3");
        assertThat(fixture.run("run").exitCode()).isZero();
        Files.writeString(csv, "memberId,productId,membershipMonthlyPeriod\nm1," + PRODUCT + ",3\nm2," + PRODUCT + ",zero\n");
        fixture.settings().put("member-sync.feeds.members.max-rejected", "100%");
        mayar.clearRequests();

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.counts("members"))
                .isEqualTo("read=2 unchanged=1 synced=0 rejected=1 refused=0 failed=0 pending=0 absent=1");
        assertThat(mayar.requests()).isEmpty();
    }

    @Test
    void deactivatingIsAConfigurationErrorForHangWhoseApiHasNoStatus() throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv", "program_membership_id,email\nm1,a@example.com\n"));
        fixture.settings().put("member-sync.feeds.members.on-absent", "deactivate");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.feeds.members.on-absent").contains("hang");
        assertThat(fixture.sandbox().hang().requests()).isEmpty();
    }

    private Path mayarFeed(String... members) throws Exception {
        Path csv = fixture.file("members.csv", "");
        write(csv, members);
        fixture.feed("members", "mayar", csv);
        return csv;
    }

    private static void write(Path csv, String... members) throws Exception {
        StringBuilder content = new StringBuilder("memberId,productId,membershipMonthlyPeriod\n");
        for (String member : List.of(members)) {
            content.append(member).append(',').append(PRODUCT).append(",3\n");
        }
        Files.writeString(csv, content);
    }
}
