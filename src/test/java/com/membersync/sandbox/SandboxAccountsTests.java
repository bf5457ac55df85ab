package com.membersync.sandbox;

import static com.membersync.sandbox.SandboxHttp.body;
import static com.membersync.support.SyncFixture.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.membersync.support.SyncFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Several accounts of each vendor under its one prefix (Hang programs, Decoda tenants, Mayar accounts), told apart
 * by their credentials, each with its own records and requests, over real HTTP.
 */
class SandboxAccountsTests extends SandboxOverHttp {

    private static final String MAYAR_UPDATE = "/hl/v2/memberships/members/MBR1/update";
    private static final String MAYAR_READ = "/hl/v2/memberships/members/MBR1?productId=prod-a";

    @Test
    void eachAccountHasItsOwnNameCredentialsAndRecordsButItsVendorsBehaviour() {
        HangSandbox brandB = sandbox.hang("brand-b");
        DecodaSandbox uptown = sandbox.decoda("uptown");
        MayarSandbox outlet = sandbox.mayar("outlet");

        assertThat(sandbox.hang("brand-b")).isSameAs(brandB);
        assertThat(sandbox.hang("hang")).isSameAs(sandbox.hang());
        assertThat(sandbox.hang().account()).isEqualTo("hang");
        assertThat(brandB.account()).isEqualTo("brand-b");
        assertThat(brandB.name()).isEqualTo("hang");
        assertThat(brandB.credentials()).isEqualTo(Map.of("api-key", "hang-sandbox-key-brand-b"));
        assertThat(uptown.credentials()).isEqualTo(Map.of("api-key", "decoda-sandbox-key", "tenant", "sandbox-tenant-uptown"));
        assertThat(outlet.credentials()).isEqualTo(Map.of("api-key", "mayar-sandbox-key-outlet"));
        assertThat(sandbox.decoda().credentials()).isEqualTo(Map.of("api-key", "decoda-sandbox-key", "tenant", "sandbox-tenant"));
        assertThat(brandB.behaviour()).isSameAs(sandbox.hang().behaviour());
        assertThat(outlet.behaviour()).isSameAs(sandbox.mayar().behaviour());
        assertThat(sandbox.accounts("hang")).containsExactly(sandbox.hang(), brandB);
        assertThat(sandbox.accounts("decoda")).containsExactly(sandbox.decoda(), uptown);
        assertThat(sandbox.vendors().values()).containsExactly(sandbox.hang(), sandbox.decoda(), sandbox.mayar());
        assertThatThrownBy(() -> sandbox.hang("no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.accounts("nobody")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoDecodaTenantsHoldingTheSameMembershipIdKeepTwoRecords() throws Exception {
        DecodaSandbox uptown = sandbox.decoda("uptown");

        body(http.decoda("PUT", "/inventory/memberships/mem_1", "{\"name\":\"Glow\",\"price\":9900}"), 200);
        body(http.decodaAs("sandbox-tenant-uptown", "PUT", "/inventory/memberships/mem_1",
                "{\"name\":\"Glow Uptown\",\"price\":12900}"), 200);
        JsonNode readUptown = body(http.decodaAs("sandbox-tenant-uptown", "GET", "/inventory/memberships", null), 200);

        assertThat(sandbox.decoda().membership("mem_1").orElseThrow().get("price").asInt()).isEqualTo(9900);
        assertThat(uptown.membership("mem_1").orElseThrow().get("price").asInt()).isEqualTo(12900);
        assertThat(readUptown.get("total").asInt()).isEqualTo(1);
        assertThat(readUptown.get("data").get(0).get("name").stringValue()).isEqualTo("Glow Uptown");
        assertThat(sandbox.decoda().requests()).extracting(RecordedRequest::method).containsExactly("PUT");
        assertThat(uptown.requests()).extracting(RecordedRequest::method).containsExactly("PUT", "GET");
    }

    @Test
    void twoHangProgramsHoldingTheSameMembershipIdKeepTwoRecords() throws Exception {
        HangSandbox brandB = sandbox.hang("brand-b");

        body(http.hang("PATCH", "/v2/program-memberships/pm_1", "{\"email\":\"a@example.com\"}"), 200);
        body(http.as(brandB, "PATCH", "/v2/program-memberships/pm_1", "{\"email\":\"b@example.com\"}"), 200);

        assertThat(body(http.hang("GET", "/v2/program-memberships/pm_1", null), 200).at("/membership/email")
                .stringValue()).isEqualTo("a@example.com");
        assertThat(brandB.membership("pm_1").orElseThrow().get("email").stringValue()).isEqualTo("b@example.com");
        assertThat(sandbox.hang().served("PATCH")).hasSize(1);
        assertThat(brandB.served("PATCH")).hasSize(1);
    }

    @Test
    void aRequestWithOneAccountsCredentialsNeverTouchesAnothersRecords() throws Exception {
        MayarSandbox outlet = sandbox.mayar("outlet");
        sandbox.mayar().seed("MBR1", "prod-a", object("{\"status\":\"active\"}"));
        sandbox.hang().seed("pm_1", object("{\"email\":\"a@example.com\"}"));
        sandbox.hang("brand-b");
        sandbox.hang().autoCreate(false);

        JsonNode notInOutlet = body(http.as(outlet, "GET", MAYAR_READ, null), 404);
        body(http.as(outlet, "POST", MAYAR_UPDATE, "{\"productId\":\"prod-a\",\"status\":\"stopped\"}"), 200);
        body(http.hangAs("hang-sandbox-key-brand-b", "PATCH", "/v2/program-memberships/pm_1",
                "{\"email\":\"b@example.com\"}"), 200);

        assertThat(notInOutlet.get("messages").stringValue()).isEqualTo("Member dengan ID MBR1 tidak ditemukan.");
        assertThat(sandbox.mayar().member("MBR1").orElseThrow().get("status").stringValue()).isEqualTo("active");
        assertThat(outlet.member("MBR1").orElseThrow().get("status").stringValue()).isEqualTo("stopped");
        assertThat(sandbox.mayar().requests()).isEmpty();
        assertThat(sandbox.hang().membership("pm_1").orElseThrow().get("email").stringValue()).isEqualTo("a@example.com");
        assertThat(sandbox.hang().requests()).isEmpty();
        // autoCreate is the account's own: brand-b still creates pm_1
        assertThat(sandbox.hang("brand-b").memberships()).containsKey("pm_1");
    }

    @Test
    void credentialsOfANewAccountsFormCreateItOnFirstUseAndOthersAreAnsweredByTheDefault() throws Exception {
        body(http.hangAs("hang-sandbox-key-brand-b", "PATCH", "/v2/program-memberships/pm_1", "{\"email\":\"b@example.com\"}"), 200);
        body(http.decodaAs("sandbox-tenant-uptown", "PUT", "/inventory/memberships/mem_1", "{\"name\":\"Glow\",\"price\":1}"), 200);
        body(http.mayarAs("mayar-sandbox-key-outlet", "POST", MAYAR_UPDATE, "{\"productId\":\"prod-a\"}"), 200);
        int defaultKey = http.hangAs("hang-sandbox-key", "GET", "/v2/program-memberships/pm_1", null).statusCode();
        int wrongTenant = http.send("GET", sandbox.baseUrl("decoda") + "/inventory/memberships/mem_1", null,
                "API-KEY", "someone-elses-key", "TENANT", "sandbox-tenant-midtown").statusCode();
        int noKey = http.send("GET", sandbox.baseUrl("hang") + "/v2/program-memberships/pm_1", null).statusCode();

        assertThat(sandbox.accounts("hang")).extracting(VendorSandbox::account).containsExactly("hang", "brand-b");
        assertThat(sandbox.hang("brand-b").memberships()).containsOnlyKeys("pm_1");
        assertThat(sandbox.decoda("uptown").memberships()).containsOnlyKeys("mem_1");
        assertThat(sandbox.mayar("outlet").members()).containsOnlyKeys("MBR1");
        // pm_1 is brand-b's alone, so the default program does not know it
        assertThat(defaultKey).isEqualTo(404);
        // a key that is not Decoda's creates no tenant; the default account answers 401 and records it
        assertThat(wrongTenant).isEqualTo(401);
        assertThat(sandbox.accounts("decoda")).extracting(VendorSandbox::account).containsExactly("decoda", "uptown");
        assertThat(sandbox.decoda().requests()).extracting(RecordedRequest::status).containsExactly(401);
        assertThat(noKey).isEqualTo(400);
        assertThat(sandbox.hang().requests()).extracting(RecordedRequest::status).containsExactly(404, 400);
        assertThat(sandbox.hang().memberships()).isEmpty();
    }

    @Test
    void anAccountsChangedKeyIsItsAloneAndItsOldOneReachesTheDefault() throws Exception {
        sandbox.hang("brand-b").apiKey("hk_live_brand_b");

        int withNewKey = http.hangAs("hk_live_brand_b", "PATCH", "/v2/program-memberships/pm_1", "{}").statusCode();
        int withOldKey = http.hangAs("hang-sandbox-key-brand-b", "PATCH", "/v2/program-memberships/pm_1", "{}").statusCode();

        assertThat(withNewKey).isEqualTo(200);
        assertThat(withOldKey).isEqualTo(401);
        assertThat(sandbox.hang("brand-b").served("PATCH")).hasSize(1);
        assertThat(sandbox.hang().requests()).extracting(RecordedRequest::status).containsExactly(401);
    }

    @Test
    void mayarLimitsByIpSoItsAccountsShareOneWindow() throws Exception {
        MayarSandbox outlet = sandbox.mayar("outlet");
        sandbox.mayar().seed("MBR1", "prod-a");
        outlet.seed("MBR1", "prod-a");
        sandbox.mayar().behaviour().rateLimit(3, Duration.ofMinutes(1)).announceRateLimit(true);

        List<HttpResponse<String>> answers = List.of(http.mayar("GET", MAYAR_READ, null), http.mayar("GET", MAYAR_READ, null),
                http.as(outlet, "GET", MAYAR_READ, null), http.as(outlet, "GET", MAYAR_READ, null));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
        assertThat(answers.get(2).headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertThat(outlet.requests()).extracting(RecordedRequest::status).containsExactly(200, 429);
    }

    @Test
    void decodaLimitsEachTenantAndHangEachProgramInItsOwnWindow() throws Exception {
        DecodaSandbox uptown = sandbox.decoda("uptown");
        HangSandbox brandB = sandbox.hang("brand-b");
        Stream.of(sandbox.decoda(), sandbox.hang()).forEach(v -> v.behaviour().rateLimit(2, Duration.ofMinutes(1)));
        String membership = "/inventory/memberships/mem_1";
        String program = "/v2/program-memberships/pm_1";

        List<HttpResponse<String>> decoda = List.of(http.decoda("GET", membership, null), http.decoda("GET", membership, null),
                http.as(uptown, "GET", membership, null), http.as(uptown, "GET", membership, null),
                http.decoda("GET", membership, null));
        List<Integer> hang = new ArrayList<>();
        for (VendorSandbox account : List.of(sandbox.hang(), sandbox.hang(), brandB, brandB, brandB)) {
            hang.add(http.as(account, "PATCH", program, "{}").statusCode());
        }

        assertThat(decoda).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 200, 429);
        assertThat(decoda).extracting(r -> r.headers().firstValue("X-RateLimit-Remaining").orElseThrow())
                .containsExactly("1", "0", "1", "0", "0");
        assertThat(hang).containsExactly(200, 200, 200, 200, 429);
    }

    @Test
    void aSharedWindowNeverAcceptsMoreThanItsLimitInAnySlidingWindowWhenAccountsRace() throws Exception {
        MayarSandbox outlet = sandbox.mayar("outlet");
        int permits = 5;
        Duration window = Duration.ofMillis(300);
        sandbox.mayar().behaviour().rateLimit(permits, window);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            VendorSandbox account = i % 2 == 0 ? sandbox.mayar() : outlet;
            calls.add(() -> http.as(account, "POST", MAYAR_UPDATE, "{\"productId\":\"prod-a\"}").statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Integer> status : pool.invokeAll(calls)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).contains(200, 429).containsOnly(200, 429);
        assertThat(SyncFixture.maxTogether(List.of(sandbox.mayar(), outlet), window)).isLessThanOrEqualTo(permits);
    }

    @Test
    void theDashboardEditsTheAccountItsQueryNames() throws Exception {
        sandbox.decoda().seed("mem_1", object("{\"name\":\"Glow\",\"price\":9900}"));
        sandbox.decoda("uptown").seed("mem_1", object("{\"name\":\"Glow Uptown\",\"price\":12900}"));
        sandbox.mayar("outlet").seed("MBR1", "prod-a");

        JsonNode uptown = body(http.admin("PATCH", "/decoda/memberships/mem_1?account=uptown", "{\"price\":100}"), 200);
        JsonNode main = body(http.admin("GET", "/decoda/memberships/mem_1", null), 200);
        JsonNode outlet = body(http.admin("GET", "/mayar/members/MBR1?account=outlet", null), 200);
        JsonNode unknownAccount = body(http.admin("GET", "/decoda/memberships/mem_1?account=midtown", null), 404);

        assertThat(uptown.get("name").stringValue()).isEqualTo("Glow Uptown");
        assertThat(sandbox.decoda("uptown").membership("mem_1").orElseThrow().get("price").asInt()).isEqualTo(100);
        assertThat(main.get("price").asInt()).isEqualTo(9900);
        assertThat(outlet.get("memberId").stringValue()).isEqualTo("MBR1");
        assertThat(http.admin("GET", "/mayar/members/MBR1", null).statusCode()).isEqualTo(404);
        assertThat(unknownAccount.get("error").stringValue()).contains("midtown");
        assertThat(sandbox.accounts("decoda")).hasSize(2);
    }
}
