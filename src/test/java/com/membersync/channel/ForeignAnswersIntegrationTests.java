package com.membersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.SandboxBehaviour.Impostor;
import com.membersync.sandbox.SandboxServer;
import com.membersync.sandbox.VendorSandbox;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A base URL that reaches something other than the vendor's API (a proxy's login page, a maintenance page, a CDN's
 * empty 200, another service) answers 200 all the same. Only the vendor's documented answer confirms a write, so
 * such a night syncs nothing, says why, and leaves every row for the next run.
 */
class ForeignAnswersIntegrationTests {

    static final int HANG_MEMBERS = 12;
    static final int DECODA_PLANS = 6;
    static final int MAYAR_MEMBERS = 8;
    static final List<String> FEEDS = List.of("hang-members", "decoda-plans", "mayar-members");

    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture("foreign");
        StringBuilder hang = new StringBuilder("program_membership_id,external_user_id,email\n");
        for (int i = 0; i < HANG_MEMBERS; i++) {
            hang.append(String.format(Locale.ROOT, "pm_%02d,crm-%d,m%d@example.com%n", i, i, i));
        }
        StringBuilder decoda = new StringBuilder("membership_id,name,price,autoRenew,billingFrequency\n");
        for (int i = 0; i < DECODA_PLANS; i++) {
            decoda.append(String.format(Locale.ROOT, "plan_%02d,Glow %d,%d,false,YEARLY%n", i, i, 9900 + i));
        }
        StringBuilder mayar = new StringBuilder("memberId,productId,status\n");
        for (int i = 0; i < MAYAR_MEMBERS; i++) {
            mayar.append(String.format(Locale.ROOT, "MBR%05d,prod-1,active%n", i));
        }
        fixture.feed("hang-members", "hang", fixture.file("hang.csv", hang.toString()));
        fixture.feed("decoda-plans", "decoda", fixture.file("decoda.csv", decoda.toString()));
        fixture.feed("mayar-members", "mayar", fixture.file("mayar.csv", mayar.toString()));
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "600/min");
        // two attempts each: given up as after the default number, without waiting out the longer backoffs
        for (String vendor : List.of("hang", "decoda", "mayar")) {
            fixture.settings().put("member-sync.vendors." + vendor + ".max-attempts", 2);
        }
        // Decoda's plans exist with what a PUT built from nothing would reset.
        for (int i = 0; i < DECODA_PLANS; i++) {
            fixture.sandbox().decoda().seed(String.format(Locale.ROOT, "plan_%02d", i), SyncFixture.object(
                    "{\"name\":\"Glow\",\"price\":100,\"description\":\"keep me\",\"merchantAccountId\":\"acct_1\"}"));
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(Impostor.class)
    void writesAndDecodasReadAnsweredByAnImpostorSyncNothingAndAreSentOnceTheVendorIsBack(Impostor impostor)
            throws IOException {
        SandboxServer sandbox = fixture.sandbox();
        sandbox.hang().behaviour().impostor(impostor, "PATCH");
        sandbox.decoda().behaviour().impostor(impostor, "GET");
        sandbox.mayar().behaviour().impostor(impostor, "POST");

        ReportedRun night = fixture.report("run");

        assertThat(night.exitCode()).as(night.output()).isNotZero();
        for (String feed : FEEDS) {
            assertThat(night.count(feed, "synced")).as(night.output()).isZero();
            assertThat(night.count(feed, "read")).isEqualTo(night.count(feed, "failed") + night.count(feed, "pending"));
        }
        assertThat(sandbox.decoda().requests()).as("no PUT after a read that found no plan")
                .noneMatch(r -> r.method().equals("PUT"));
        assertThat(sandbox.hang().memberships()).isEmpty();
        assertThat(sandbox.mayar().members()).isEmpty();
        assertThat(night.output()).contains("member-sync.vendors.hang.base-url", "member-sync.vendors.decoda.base-url",
                "member-sync.vendors.mayar.base-url");

        // Decoda's GET is itself again, its PUT answered by the impostor: the plan was read, the write not confirmed.
        sandbox.decoda().behaviour().reset().impostor(impostor, "PUT");
        ReportedRun put = fixture.report("run", "--feed", "decoda-plans");

        assertThat(put.exitCode()).as(put.output()).isNotZero();
        assertThat(put.count("decoda-plans", "synced")).isZero();
        assertThat(put.output()).contains("member-sync.vendors.decoda.base-url");

        for (VendorSandbox vendor : sandbox.vendors().values()) {
            vendor.behaviour().reset();
        }
        ReportedRun healthy = fixture.report("run");

        assertThat(healthy.exitCode()).as(healthy.output()).isZero();
        assertThat(healthy.count("hang-members", "synced")).isEqualTo(HANG_MEMBERS);
        assertThat(healthy.count("decoda-plans", "synced")).isEqualTo(DECODA_PLANS);
        assertThat(healthy.count("mayar-members", "synced")).isEqualTo(MAYAR_MEMBERS);
        assertThat(sandbox.hang().memberships()).hasSize(HANG_MEMBERS);
        assertThat(sandbox.hang().membership("pm_03").orElseThrow().path("email").asString()).isEqualTo("m3@example.com");
        assertThat(sandbox.mayar().members()).hasSize(MAYAR_MEMBERS);
        assertThat(sandbox.decoda().memberships()).hasSize(DECODA_PLANS);
        JsonNode plan = sandbox.decoda().membership("plan_02").orElseThrow();
        assertThat(plan.path("price").asLong()).isEqualTo(9902);
        assertThat(plan.path("description").asString()).as("kept from the plan as read").isEqualTo("keep me");
        assertThat(plan.path("merchantAccountId").asString()).isEqualTo("acct_1");
        assertThat(fixture.report("run").count("hang-members", "synced")).as("nothing left to send").isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Impostor.class, names = {"HTML_PAGE", "OTHER_ID"})
    void verifiesReadsAnsweredByAnImpostorAreErrorsNeverMembersTheVendorLacks(Impostor impostor) throws IOException {
        assertThat(fixture.report("run").exitCode()).isZero();
        for (VendorSandbox vendor : fixture.sandbox().vendors().values()) {
            vendor.behaviour().impostor(impostor, "GET");
        }

        ReportedRun verify = fixture.report("verify");

        assertThat(verify.exitCode()).as(verify.output()).isEqualTo(1);
        for (String feed : FEEDS) {
            assertThat(verify.count(feed, "notFound")).as(verify.output()).isZero();
            assertThat(verify.count(feed, "drifted")).isZero();
            assertThat(verify.feed(feed).path("outcome").asString()).isEqualTo("FAILED");
        }
        assertThat(verify.output()).contains("base-url");
    }
}
