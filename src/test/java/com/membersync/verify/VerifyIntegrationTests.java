package com.membersync.verify;

import static com.membersync.support.SyncFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.DecodaSandbox;
import com.membersync.sandbox.HangSandbox;
import com.membersync.sandbox.MayarSandbox;
import com.membersync.sandbox.MembershipSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.ReportedRun;
import com.membersync.support.StrictTiming;
import com.membersync.support.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code verify} against the sandbox over HTTP, after people edited members in the vendors' dashboards: it finds
 * exactly the managed fields that drifted (no unmanaged field, nothing the vendor cannot return), {@code --repair}
 * restores them without rewriting fields in step, and a killed verify resumes.
 */
class VerifyIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SyncFixture fixture;
    private HangSandbox hang;
    private DecodaSandbox decoda;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("verify");
        hang = fixture.sandbox().hang();
        decoda = fixture.sandbox().decoda();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void hangDriftInAManagedFieldIsListedRepairedAndThenGone() throws Exception {
        // given ten members synced with email, phone and first name (which Hang's answers never return)
        StringBuilder csv = new StringBuilder("program_membership_id,first_name,email,phone\n");
        for (int i = 0; i < 10; i++) {
            csv.append(String.format(Locale.ROOT, "m%d,Name %d,member%d@example.com,+1415555%04d%n", i, i, i, i));
        }
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
        assertThat(fixture.run("run").exitCode()).isZero();
        // when support agents edit members in Hang's dashboard
        edit(hang, "m2", "{\"email\":\"someone.else@example.com\"}"); // managed: drift
        edit(hang, "m3", "{\"external_user_id\":\"crm-edited\"}"); // not managed by this feed: not drift
        edit(hang, "m4", "{\"first_name\":\"Changed\"}"); // Hang cannot return it: not verifiable
        edit(hang, "m5", "{\"phone\":\"+1 415 555 0005\"}"); // the same number, written otherwise: not drift
        hang.clearRequests();
        Path output = fixture.folder().resolve("drift.csv");

        ReportedRun verify = fixture.report("verify", "--output", output.toString());

        // then exactly the managed drift is listed, masked on the terminal and plain in the file
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(4);
        assertThat(verify.counts("members")).startsWith("checked=10 inStep=9 drifted=1 notFound=0 repaired=0");
        assertThat(verify.out())
                .contains("members: first_name not verifiable: hang's answers do not return it")
                .contains("members m2: email synced m***@example.com, at hang s***@example.com")
                .doesNotContain("someone.else@example.com").doesNotContain("m3:").doesNotContain("m5:");
        assertThat(Files.readAllLines(output)).containsExactly("feed,key,field,synced_value,vendor_value",
                "members,m2,email,member2@example.com,someone.else@example.com");
        assertThat(hang.served("GET")).hasSize(10);
        assertThat(hang.served("PATCH")).isEmpty();

        CliRun repair = fixture.run("verify", "--repair");

        assertThat(repair.exitCode()).as(repair.out() + repair.err()).isZero();
        List<RecordedRequest> patches = hang.served("PATCH");
        assertThat(patches).extracting(RecordedRequest::path).containsExactly("/v2/program-memberships/m2");
        assertThat(JSON.readTree(patches.getFirst().body())).isEqualTo(JSON.readTree("{\"email\":\"member2@example.com\"}"));
        assertThat(hang.membership("m2").orElseThrow().get("email").stringValue()).isEqualTo("member2@example.com");
        assertThat(hang.membership("m3").orElseThrow().get("external_user_id").stringValue()).isEqualTo("crm-edited");
        // status keeps its console lines: feed, account, vendor, then what ran
        assertThat(fixture.run("status").out())
                .containsPattern("members\\s+hang\\s+hang\\s+verify DONE\\s+checked 10, in step 9, drifted 1")
                .containsPattern("members\\s+hang\\s+hang\\s+repair COMPLETED .*synced 1");
        assertThat(fixture.run("verify").exitCode()).isZero();
        assertThat(fixture.report("run").counts("members")).as("the repair left the feed in step")
                .startsWith("read=10 unchanged=10 synced=0");
    }

    @Test
    void decodaIsReadInPagesOfItsListAndRepairedFromAFreshRead() throws Exception {
        // given 150 plans synced with name and price managed
        StringBuilder csv = new StringBuilder("membership_id,name,price\n");
        for (int i = 0; i < 150; i++) {
            decoda.seed("plan_" + i, object("{\"name\":\"Plan\",\"price\":1,\"description\":\"as sold\"}"));
            csv.append("plan_").append(i).append(",Plan ").append(i).append(",").append(1000 + i).append('\n');
        }
        fixture.settings().put("member-sync.vendors.decoda.rate-limit", "1000/s");
        fixture.feed("plans", "decoda", fixture.file("plans.csv", csv.toString()));
        assertThat(fixture.run("run").exitCode()).isZero();
        edit(decoda, "plan_7", "{\"price\":999}");
        edit(decoda, "plan_8", "{\"description\":\"Now with a consultation\"}");
        decoda.clearRequests();

        ReportedRun verify = fixture.report("verify", "--repair");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.counts("plans")).startsWith("checked=150 inStep=149 drifted=1 notFound=0 repaired=1");
        assertThat(verify.out())
                .contains("plans plan_7: price synced 1007, at decoda 999");
        // two pages of the list, then the repair's read before its PUT
        assertThat(decoda.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /inventory/memberships", "GET /inventory/memberships",
                        "GET /inventory/memberships/plan_7", "PUT /inventory/memberships/plan_7");
        assertThat(decoda.membership("plan_7").orElseThrow().get("price").asLong()).isEqualTo(1007);
        assertThat(decoda.membership("plan_8").orElseThrow().get("description").stringValue())
                .isEqualTo("Now with a consultation");
    }

    @Test
    void mayarIsReadInItsCursorListPerProductWithinItsRateLimitAndRepairedWithItsProduct() throws Exception {
        // given 120 members of two products (at 200/min: Mayar's documented 20/min, tenfold for the test)
        StringBuilder csv = new StringBuilder("memberId,productId,status,membershipMonthlyPeriod\n");
        for (int i = 0; i < 120; i++) {
            csv.append(String.format(Locale.ROOT, "MBR%03d,%s,active,1%n", i, i < 80 ? "prod-a" : "prod-b"));
        }
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "6000/min");
        fixture.feed("members", "mayar", fixture.file("members.csv", csv.toString()));
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "200/min");
        MayarSandbox mayar = fixture.sandbox().mayar();
        mayar.edit("MBR007", object("{\"status\":\"stopped\"}")).orElseThrow(); // stopped by hand in the dashboard
        mayar.edit("MBR090", object("{\"monthlyPaymentPeriod\":6}")).orElseThrow();
        mayar.behaviour().rateLimit(200, Duration.ofMinutes(1));
        mayar.clearRequests();

        ReportedRun verify = fixture.report("verify", "--repair");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.counts("members")).startsWith("checked=120 inStep=118 drifted=2 notFound=0 repaired=2");
        assertThat(verify.out())
                .contains("members MBR007: status synced active, at mayar stopped")
                .contains("members MBR090: membershipMonthlyPeriod synced 1, at mayar 6");
        // two pages of 50 for the first product, one for the second; then the two repairs
        assertThat(mayar.served("GET")).hasSize(3);
        assertThat(mayar.requests()).noneMatch(r -> r.status() == 429);
        assertThat(mayar.served("POST")).extracting(r -> JSON.readTree(r.body())).containsExactlyInAnyOrder(
                JSON.readTree("{\"productId\":\"prod-a\",\"status\":\"active\"}"),
                JSON.readTree("{\"productId\":\"prod-b\",\"membershipMonthlyPeriod\":1}"));
        assertThat(mayar.member("MBR007").orElseThrow().get("status").stringValue()).isEqualTo("active");
    }

    @Test
    void aSampleChecksThatManyMembersAndAMemberTheVendorNoLongerKnowsIsReported() throws Exception {
        StringBuilder csv = new StringBuilder("program_membership_id,email\n");
        for (int i = 0; i < 20; i++) {
            csv.append("m").append(i).append(",m").append(i).append("@example.com\n");
        }
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
        assertThat(fixture.run("run").exitCode()).isZero();
        hang.clearRequests();

        ReportedRun sample = fixture.report("verify", "--sample", "5");

        assertThat(sample.exitCode()).as(sample.out() + sample.err()).isZero();
        assertThat(sample.counts("members")).startsWith("checked=5 inStep=5 drifted=0 notFound=0");
        assertThat(hang.served("GET")).hasSize(5);

        hang.forget("m11");
        ReportedRun all = fixture.report("verify");

        assertThat(all.exitCode()).isEqualTo(4);
        assertThat(all.counts("members")).startsWith("checked=20 inStep=19 drifted=0 notFound=1");
        assertThat(all.out()).contains("members m11: not found at hang");
    }

    @Test
    @StrictTiming
    void withTheVendorsRateLimitEnforcedVerifyCausesNo429() throws Exception {
        StringBuilder csv = new StringBuilder("program_membership_id,email\n");
        for (int i = 0; i < 60; i++) {
            csv.append("m").append(i).append(",m").append(i).append("@example.com\n");
        }
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "40/s");
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
        assertThat(fixture.run("run").exitCode()).isZero();
        hang.behaviour().rateLimit(40, Duration.ofSeconds(1));
        hang.clearRequests();

        ReportedRun verify = fixture.report("verify");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(hang.requests()).hasSize(60).noneMatch(r -> r.status() == 429);
    }

    @Test
    void aVerifyKilledMidwayResumesWithoutReadingAgainWhatItChecked() throws Exception {
        StringBuilder csv = new StringBuilder("program_membership_id,email\n");
        for (int i = 0; i < 150; i++) {
            csv.append(String.format(Locale.ROOT, "m%03d,m%d@example.com%n", i, i));
        }
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString())).unthrottled();
        assertThat(fixture.run("run").exitCode()).isZero();
        edit(hang, "m135", "{\"email\":\"changed@example.com\"}");
        hang.clearRequests();
        Map<String, Object> slow = new LinkedHashMap<>(fixture.settings());
        slow.put("member-sync.vendors.hang.rate-limit", "25/s");
        MemberSyncProcess verify = MemberSyncProcess.start(fixture.folder(), slow, "verify");
        assertThat(verify.awaitOrExit(() -> hang.served("GET").size() >= 80, Duration.ofMinutes(1))).as(verify.output())
                .isTrue();
        verify.kill();
        hang.clearRequests();

        ReportedRun resumed = fixture.report("verify");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(4);
        assertThat(resumed.counts("members")).startsWith("checked=150 inStep=149 drifted=1 notFound=0");
        assertThat(resumed.out()).contains("resuming the interrupted verify").contains("members m135: email");
        // the members checked before the kill (its committed batches) are not read again
        assertThat(hang.served("GET").size()).isBetween(1, 150 - 50);
    }

    /** A change made in the vendor's own dashboard, behind member-sync's back. */
    private static void edit(MembershipSandbox<?> vendor, String id, String changes) {
        vendor.edit(id, object(changes)).orElseThrow();
    }
}
