package com.membersync.connector.decoda;

import static com.membersync.support.SyncFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.DecodaSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Decoda feed synced end to end: PostgreSQL state store, the Decoda sandbox over HTTP (which resets every field a
 * PUT leaves out, as Decoda documents), the real command line.
 */
class DecodaSyncIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HEADER = "membership_id,name,price,billingFrequency,globalDiscountPercentage,autoRenew,discounts\n";
    private static final String MEMBERSHIPS = HEADER
            + "mem_glow,Glow Club Monthly,9900,MONTHLY,10,true,\n"
            + "mem_tox,Tox VIP,14900,QUARTERLY,,,\"[{\"\"itemId\"\":\"\"svc_botox\"\",\"\"discountPercentage\"\":15}]\"\n"
            + "mem_skin,,4900,,,,\n";

    /** What the vendor holds before the first sync, with data member-sync does not manage. */
    private static final String GLOW_AT_DECODA = """
            {"id":"mem_glow","name":"Glow Club","price":8900,"externalId":"crm-101","description":"Monthly HydraFacial",
             "globalDiscountPercentage":0.0,"patientCreditAmount":5000,"patientCreditFrequency":"MONTHLY",
             "patientCreditExpiryDays":90,"maxRenewals":null,"autoRenew":false,"setupFee":0,"freezeFee":1500,
             "minimumBillingCycles":3,"billingFrequency":"MONTHLY","textColor":"#C2185B","isArchived":false,
             "ruleSetId":"rs_9",
             "discounts":[{"membershipId":"mem_glow","id":"disc_seed_1","itemId":null,"itemCategory":"Skincare",
               "isPhysical":true,"discountPercentage":12.5,"discountAmount":null,"creditAmount":null,"quantity":null,
               "rollover":false,"rolloverExpiryDays":null,"neverExpire":false,"group":null,"isArchived":false}],
             "memberCount":37,"totalRevenue":366300}""";
    private static final String SKIN_AT_DECODA = """
            {"id":"mem_skin","name":"Skin Starter","price":3900,"externalId":null,"description":"Entry plan",
             "globalDiscountPercentage":5.0,"patientCreditAmount":0,"patientCreditFrequency":"MONTHLY",
             "patientCreditExpiryDays":null,"maxRenewals":0,"autoRenew":true,"setupFee":0,"freezeFee":0,
             "minimumBillingCycles":0,"billingFrequency":"BIWEEKLY","textColor":null,"isArchived":false,
             "ruleSetId":null,"discounts":null,"memberCount":4,"totalRevenue":15600}""";

    private SyncFixture fixture;
    private DecodaSandbox decoda;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("decoda");
        fixture.feed("memberships", "decoda", fixture.file("memberships.csv", MEMBERSHIPS));
        decoda = fixture.sandbox().decoda();
        decoda.seed("mem_glow", object(GLOW_AT_DECODA));
        decoda.seed("mem_skin", object(SKIN_AT_DECODA));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void firstRunReadsEachMembershipThenPutsItWithTheManagedFieldsAndASecondRunSendsNothing() throws Exception {
        ReportedRun first = fixture.report("run");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.counts("memberships")).startsWith("read=3 unchanged=0 synced=3 rejected=0 refused=0 failed=0 pending=0");
        List<RecordedRequest> puts = sorted(decoda.served("PUT"));
        assertThat(puts).extracting(RecordedRequest::path).containsExactly(
                "/inventory/memberships/mem_glow", "/inventory/memberships/mem_skin", "/inventory/memberships/mem_tox");
        assertThat(decoda.requests()).allSatisfy(r -> {
            assertThat(r.header("API-KEY")).isEqualTo("decoda-sandbox-key");
            assertThat(r.header("TENANT")).isEqualTo("sandbox-tenant");
        });
        // No cached state yet: every PUT is preceded by a GET of the same membership.
        for (RecordedRequest put : puts) {
            List<RecordedRequest> requests = decoda.requests();
            int putAt = requests.indexOf(put);
            assertThat(requests.subList(0, putAt)).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo(put.path());
            });
        }
        assertThat(decoda.served("GET")).hasSize(3);
        assertThat(body(puts.get(0))).isEqualTo(JSON.readTree("""
                {"id":"mem_glow","name":"Glow Club Monthly","price":9900,"externalId":"crm-101",
                 "description":"Monthly HydraFacial","globalDiscountPercentage":10,"patientCreditAmount":5000,
                 "patientCreditFrequency":"MONTHLY","patientCreditExpiryDays":90,"maxRenewals":null,"autoRenew":true,
                 "setupFee":0,"freezeFee":1500,"minimumBillingCycles":3,"billingFrequency":"MONTHLY",
                 "textColor":"#C2185B","isArchived":false,"ruleSetId":"rs_9",
                 "discounts":[{"membershipId":"mem_glow","id":"disc_seed_1","itemId":null,"itemCategory":"Skincare",
                   "isPhysical":true,"discountPercentage":12.5,"discountAmount":null,"creditAmount":null,
                   "quantity":null,"rollover":false,"rolloverExpiryDays":null,"neverExpire":false,"group":null,
                   "isArchived":false}],
                 "memberCount":37,"totalRevenue":366300}"""));
        assertThat(body(puts.get(1))).isEqualTo(JSON.readTree("""
                {"id":"mem_skin","name":"Skin Starter","price":4900,"externalId":null,"description":"Entry plan",
                 "globalDiscountPercentage":5,"patientCreditAmount":0,"patientCreditFrequency":"MONTHLY",
                 "patientCreditExpiryDays":null,"maxRenewals":0,"autoRenew":true,"setupFee":0,"freezeFee":0,
                 "minimumBillingCycles":0,"billingFrequency":"BIWEEKLY","textColor":null,"isArchived":false,
                 "ruleSetId":null,"discounts":null,"memberCount":4,"totalRevenue":15600}"""));
        // mem_tox is unknown to Decoda; the sandbox's autoCreate answers its GET with the schema's defaults.
        assertThat(body(puts.get(2))).isEqualTo(JSON.readTree("""
                {"id":"mem_tox","name":"Tox VIP","price":14900,"externalId":null,"description":null,
                 "globalDiscountPercentage":0,"patientCreditAmount":0,"patientCreditFrequency":"MONTHLY",
                 "patientCreditExpiryDays":null,"maxRenewals":0,"autoRenew":true,"setupFee":0,"freezeFee":0,
                 "minimumBillingCycles":0,"billingFrequency":"QUARTERLY","textColor":null,"isArchived":false,
                 "ruleSetId":null,"discounts":[{"itemId":"svc_botox","discountPercentage":15}],
                 "memberCount":0,"totalRevenue":0,"merchantAccountId":null,"feeSchedule":null}"""));

        decoda.clearRequests();
        ReportedRun second = fixture.report("run");

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(decoda.requests()).isEmpty();
        assertThat(second.counts("memberships")).startsWith("read=3 unchanged=3 synced=0 rejected=0 refused=0 failed=0 pending=0");
    }

    @Test
    void fieldsTheFeedDoesNotManageKeepTheVendorsValues() throws Exception {
        ObjectNode before = decoda.membership("mem_glow").orElseThrow();

        assertThat(fixture.run("run").exitCode()).isZero();

        ObjectNode after = decoda.membership("mem_glow").orElseThrow();
        for (String unmanaged : List.of("description", "discounts", "memberCount", "totalRevenue", "externalId",
                "patientCreditAmount", "patientCreditExpiryDays", "maxRenewals", "freezeFee", "minimumBillingCycles",
                "textColor", "ruleSetId")) {
            assertThat(same(after.get(unmanaged))).as(unmanaged).isEqualTo(same(before.get(unmanaged)));
        }
        assertThat(after.get("name").stringValue()).isEqualTo("Glow Club Monthly");
        assertThat(after.get("price").asLong()).isEqualTo(9900);
        assertThat(after.get("autoRenew").booleanValue()).isTrue();
        ObjectNode skin = decoda.membership("mem_skin").orElseThrow();
        assertThat(skin.get("memberCount").asLong()).isEqualTo(4);
        assertThat(skin.get("description").stringValue()).isEqualTo("Entry plan");
        assertThat(skin.get("billingFrequency").stringValue()).isEqualTo("BIWEEKLY");
    }

    @Test
    void afterOneCellChangesOnlyThatMembershipIsReadAndPutFromWhatDecodaHoldsThen() throws Exception {
        assertThat(fixture.run("run").exitCode()).isZero();
        decoda.clearRequests();
        fixture.file("memberships.csv", MEMBERSHIPS.replace("mem_skin,,4900", "mem_skin,,5400"));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(decoda.served("GET")).extracting(RecordedRequest::path).containsExactly("/inventory/memberships/mem_skin");
        List<RecordedRequest> puts = decoda.served("PUT");
        assertThat(puts).extracting(RecordedRequest::path).containsExactly("/inventory/memberships/mem_skin");
        assertThat(body(puts.getFirst())).isEqualTo(JSON.readTree("""
                {"id":"mem_skin","name":"Skin Starter","price":5400,"externalId":null,"description":"Entry plan",
                 "globalDiscountPercentage":5,"patientCreditAmount":0,"patientCreditFrequency":"MONTHLY",
                 "patientCreditExpiryDays":null,"maxRenewals":0,"autoRenew":true,"setupFee":0,"freezeFee":0,
                 "minimumBillingCycles":0,"billingFrequency":"BIWEEKLY","textColor":null,"isArchived":false,
                 "ruleSetId":null,"discounts":null,"memberCount":4,"totalRevenue":15600,"merchantAccountId":null,
                 "feeSchedule":null}"""));
        assertThat(decoda.membership("mem_skin").orElseThrow().get("price").asLong()).isEqualTo(5400);
    }

    @Test
    void editsMadeInDecodasDashboardToFieldsTheFeedDoesNotManageSurviveTheNextPut() throws Exception {
        // given ten plans synced with only name and price managed, carrying fields the seed page does not list
        StringBuilder csv = new StringBuilder("membership_id,name,price\n");
        for (int i = 0; i < 10; i++) {
            String id = "plan_" + i;
            decoda.seed(id, object("""
                    {"name":"Plan %d","price":1000,"description":"Plan %d as sold","textColor":"#111111",
                     "merchantAccountId":"acct_main","feeSchedule":[{"id":"fs_%d","membershipId":"%s","cycleNumber":1,"price":500}],
                     "billingFrequency":"MONTHLY","isArchived":false}""".formatted(i, i, i, id)));
            csv.append(id).append(",Plan ").append(i).append(",1000\n");
        }
        fixture.feed("memberships", "decoda", fixture.file("memberships.csv", csv.toString()));
        assertThat(fixture.run("run").exitCode()).isZero();
        // when a clinic manager edits two plans in Decoda's dashboard, and the export changes their prices
        edit("plan_3", """
                {"textColor":"#C2185B","feeSchedule":[{"id":"fs_3b","membershipId":"plan_3","cycleNumber":2,"price":0}]}""");
        edit("plan_7", """
                {"description":"Now with a free consultation","merchantAccountId":"acct_clinic_2"}""");
        fixture.file("memberships.csv", csv.toString().replace("plan_3,Plan 3,1000", "plan_3,Plan 3,1200")
                .replace("plan_7,Plan 7,1000", "plan_7,Plan 7,1700"));
        decoda.clearRequests();

        ReportedRun run = fixture.report("run");

        // then the prices land and every dashboard edit survives, fields beyond the seed page included
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(decoda.served("PUT")).extracting(RecordedRequest::path)
                .containsExactlyInAnyOrder("/inventory/memberships/plan_3", "/inventory/memberships/plan_7");
        ObjectNode three = decoda.membership("plan_3").orElseThrow();
        assertThat(three.get("price").asLong()).isEqualTo(1200);
        assertThat(three.get("textColor").stringValue()).isEqualTo("#C2185B");
        assertThat(three.get("feeSchedule").get(0).get("id").stringValue()).isEqualTo("fs_3b");
        assertThat(three.get("feeSchedule").get(0).get("cycleNumber").asInt()).isEqualTo(2);
        assertThat(three.get("merchantAccountId").stringValue()).isEqualTo("acct_main");
        ObjectNode seven = decoda.membership("plan_7").orElseThrow();
        assertThat(seven.get("price").asLong()).isEqualTo(1700);
        assertThat(seven.get("description").stringValue()).isEqualTo("Now with a free consultation");
        assertThat(seven.get("merchantAccountId").stringValue()).isEqualTo("acct_clinic_2");
        assertThat(seven.get("feeSchedule").get(0).get("id").stringValue()).isEqualTo("fs_7");
        assertThat(run.out()).doesNotContain("drift"); // unmanaged fields: not drift
    }

    @Test
    void aManagedFieldChangedInTheDashboardIsCountedAsDriftAndTheSourcesValueSent() throws Exception {
        assertThat(fixture.run("run").exitCode()).isZero();
        edit("mem_skin", """
                {"price":3000}""");
        fixture.file("memberships.csv", MEMBERSHIPS.replace("mem_skin,,4900", "mem_skin,,5400"));
        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("memberships: 1 managed fields had been changed at decoda since the last sync");
        assertThat(run.count("memberships", "drift")).isEqualTo(1);
        assertThat(decoda.membership("mem_skin").orElseThrow().get("price").asLong()).isEqualTo(5400);
    }

    @Test
    void aPutDecodaRefusesWith422CarriesItsMessageIntoFailures() throws Exception {
        // Legacy data Decoda's own validation no longer accepts: the PUT sends it back, and Decoda says so.
        ObjectNode legacy = object(SKIN_AT_DECODA).put("id", "mem_legacy").put("patientCreditFrequency", "FORTNIGHTLY");
        decoda.seed("mem_legacy", legacy);
        fixture.file("memberships.csv", MEMBERSHIPS + "mem_legacy,Legacy Gold,7900,,,,\n");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.counts("memberships")).startsWith("read=4 unchanged=0 synced=3 rejected=0 refused=1 failed=0 pending=0");
        CliRun failures = fixture.run("failures");
        assertThat(failures.exitCode()).isZero();
        assertThat(failures.out()).contains("key mem_legacy: refused patientCreditFrequency: "
                + "patientCreditFrequency: Input should be 'DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY',"
                + " 'SEMI_ANNUALLY' or 'YEARLY' (HTTP 422)");
        assertThat(decoda.membership("mem_legacy").orElseThrow().get("name").stringValue()).isEqualTo("Skin Starter");
    }

    @Test
    void aMembershipWithoutNameOrPriceAnywhereIsRefusedWithoutAPut() throws Exception {
        fixture.file("memberships.csv", HEADER + "mem_new,,,YEARLY,,,\n");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(decoda.served("PUT")).isEmpty();
        assertThat(fixture.run("failures").out()).contains("key mem_new: refused name:").contains("requires a name");
    }

    @Test
    void anUnknownMembershipIsRefusedAfterTheGetAndNothingIsPut() throws Exception {
        decoda.autoCreate(false);

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(decoda.served("PUT")).extracting(RecordedRequest::path)
                .containsExactlyInAnyOrder("/inventory/memberships/mem_glow", "/inventory/memberships/mem_skin");
        assertThat(decoda.membership("mem_tox")).isEmpty();
        assertThat(fixture.run("failures").out()).contains("key mem_tox: refused: ")
                .contains("Membership not found (HTTP 404)");
    }

    @Test
    void aWrongTenantStopsTheRunAndNamesTheSetting() {
        fixture.settings().put("member-sync.vendors.decoda.tenant", "someone-else");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("member-sync.vendors.decoda.tenant");
        assertThat(decoda.served("PUT")).isEmpty();
        assertThat(decoda.membership("mem_glow").orElseThrow().get("name").stringValue()).isEqualTo("Glow Club");
    }

    @Test
    void aMissingTenantIsAConfigurationErrorBeforeAnythingIsSent() {
        fixture.settings().put("member-sync.vendors.decoda.tenant", "");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.vendors.decoda.tenant");
        assertThat(decoda.requests()).isEmpty();
    }

    @Test
    void xRateLimitRemainingZeroMakesTheClientWaitForTheResetInsteadOfHitting429() throws Exception {
        StringBuilder rows = new StringBuilder(HEADER);
        for (int i = 0; i < 5; i++) {
            rows.append("mem_r").append(i).append(",Plan ").append(i).append(",").append(1000 + i).append(",,,,\n");
        }
        fixture.file("memberships.csv", rows.toString());
        fixture.settings().put("member-sync.vendors.decoda.max-concurrency", 1);
        decoda.behaviour().rateLimit(4, Duration.ofSeconds(1));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(decoda.served("PUT")).hasSize(5);
        assertThat(decoda.requests()).noneSatisfy(r -> assertThat(r.status()).isEqualTo(429));
    }

    @Test
    void theSandboxResetsWhatAPutLeavesOutListsPagesAndAnnouncesItsRateLimit() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = fixture.sandbox().baseUrl("decoda") + "/inventory/memberships";

        HttpResponse<String> put = http.send(decodaRequest(base + "/mem_glow")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Glow\",\"price\":9900}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> invalid = http.send(decodaRequest(base + "/mem_glow")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"price\":\"cheap\",\"discounts\":[{\"quantity\":1.5}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = http.send(decodaRequest(base + "?page=2&per_page=1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongTenant = http.send(HttpRequest.newBuilder(URI.create(base + "/mem_glow"))
                .header("API-KEY", "decoda-sandbox-key").header("TENANT", "other").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(200);
        ObjectNode reset = decoda.membership("mem_glow").orElseThrow();
        assertThat(reset.get("memberCount").asLong()).isZero();
        assertThat(reset.get("description").isNull()).isTrue();
        assertThat(reset.get("discounts").isNull()).isTrue();
        assertThat(reset.get("autoRenew").booleanValue()).isTrue();
        assertThat(reset.get("billingFrequency").stringValue()).isEqualTo("MONTHLY");
        assertThat(body(put).get("globalDiscountPercentage").toString()).isEqualTo("0.0");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(body(invalid)).isEqualTo(JSON.readTree("""
                {"detail":[
                  {"loc":["body","name"],"msg":"Field required","type":"missing"},
                  {"loc":["body","price"],"msg":"Input should be a valid integer","type":"int_type"},
                  {"loc":["body","discounts",0,"quantity"],
                   "msg":"Input should be a valid integer, got a number with a fractional part","type":"int_from_float"}]}"""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(body(page).get("total").asInt()).isEqualTo(2);
        assertThat(body(page).get("data")).hasSize(1);
        assertThat(body(page).get("data").get(0).get("id").stringValue()).isEqualTo("mem_skin");
        assertThat(wrongTenant.statusCode()).isEqualTo(401);
        assertThat(body(wrongTenant).get("detail").isString()).isTrue();
        for (HttpResponse<String> response : List.of(put, invalid, page, wrongTenant)) {
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).isPresent();
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isPresent();
            assertThat(response.headers().firstValue("X-RateLimit-Reset")).isPresent();
        }
    }

    @Test
    void aRunKilledBetweenTheGetAndThePutIsPutFromAFreshReadWhenResumed() throws Exception {
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.file("memberships.csv", MEMBERSHIPS.replace("mem_skin,,4900", "mem_skin,,5400"));
        decoda.clearRequests();
        // one request a minute: after the GET, the PUT waits for its slot, and the process is killed meanwhile
        Map<String, Object> slow = new LinkedHashMap<>(fixture.settings());
        slow.put("member-sync.vendors.decoda.rate-limit", "1/min");
        // the group's last slot, the first run's, would space even the GET a minute after it
        fixture.schema().jdbc().update("DELETE FROM rate_budget");
        MemberSyncProcess run = MemberSyncProcess.start(fixture.folder(), slow, "run");
        assertThat(run.awaitOrExit(() -> !decoda.served("GET").isEmpty(), Duration.ofMinutes(1))).as(run.output()).isTrue();
        run.kill();
        // The killed run had taken the group's slot a minute ahead, which would hold the rerun back that long; what
        // is tested here is the read, not the pace.
        fixture.schema().jdbc().update("DELETE FROM rate_budget");
        edit("mem_skin", """
                {"description":"Edited in the dashboard after our read"}""");

        CliRun resumed = fixture.run("run");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(decoda.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /inventory/memberships/mem_skin", "GET /inventory/memberships/mem_skin",
                "PUT /inventory/memberships/mem_skin");
        ObjectNode skin = decoda.membership("mem_skin").orElseThrow();
        assertThat(skin.get("price").asLong()).isEqualTo(5400);
        assertThat(skin.get("description").stringValue()).isEqualTo("Edited in the dashboard after our read");
    }

    /** A change made in Decoda's own dashboard, behind member-sync's back. */
    private void edit(String id, String changes) {
        decoda.edit(id, object(changes)).orElseThrow();
    }

    private static HttpRequest.Builder decodaRequest(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("API-KEY", "decoda-sandbox-key")
                .header("TENANT", "sandbox-tenant").header("Content-Type", "application/json");
    }

    private static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static List<RecordedRequest> sorted(List<RecordedRequest> requests) {
        return requests.stream().sorted(Comparator.comparing(RecordedRequest::path)).toList();
    }

    private static JsonNode body(RecordedRequest request) {
        return JSON.readTree(request.body());
    }

    /** Jackson's int and long nodes are not equal; compare JSON values. */
    private static JsonNode same(JsonNode node) {
        return node == null ? null : JSON.readTree(node.toString());
    }
}
