package com.membersync.sandbox;

import static com.membersync.sandbox.SandboxHttp.JSON;
import static com.membersync.sandbox.SandboxHttp.body;
import static com.membersync.support.SyncFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.SandboxBehaviour.Impostor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Something other than the vendor answering at its URL (a proxy's login page, a CDN's empty 200, another service,
 * another record): every answer is a 200 that is not the vendor's, and nothing reaches the vendor.
 */
class SandboxImpostorTests extends SandboxOverHttp {

    private static final String HANG = "/v2/program-memberships/pm_1";
    private static final String DECODA = "/inventory/memberships/mem_1";
    private static final String MAYAR_UPDATE = "/hl/v2/memberships/members/MBR1/update";
    private static final String MAYAR_READ = "/hl/v2/memberships/members/MBR1?productId=prod-a";
    private static final String HANG_PATCH = "{\"external_user_id\":\"ext-1\",\"email\":\"new@example.com\",\"phone\":\"+17891234567\"}";
    private static final String DECODA_PUT = "{\"name\":\"Glow Plus\",\"price\":10900,\"textColor\":\"#C2185B\"}";
    private static final String MAYAR_POST = "{\"productId\":\"prod-a\",\"status\":\"stopped\"}";

    @BeforeEach
    void seed() {
        sandbox.hang().seed("pm_1", object("{\"email\":\"old@example.com\",\"created_at\":1}"));
        sandbox.decoda().seed("mem_1", object("{\"name\":\"Glow\",\"price\":9900}"));
        sandbox.mayar().seed("MBR1", "prod-a", object("{\"status\":\"active\"}"));
    }

    @ParameterizedTest
    @EnumSource(value = Impostor.class, names = {"HTML_PAGE", "EMPTY_BODY", "OTHER_JSON"})
    void anImpostorAnswersEveryVendorsWritesAndReadsWithA200ThatIsNotTheVendorsAndChangesNothing(Impostor kind)
            throws Exception {
        Map<String, ObjectNode> before = records();
        sandbox.vendors().values().forEach(v -> v.behaviour().impostor(kind).rateLimit(5, Duration.ofMinutes(1)));

        List<HttpResponse<String>> answers = List.of(
                http.hang("PATCH", HANG, HANG_PATCH), http.hang("GET", HANG, null),
                http.decoda("PUT", DECODA, DECODA_PUT), http.decoda("GET", DECODA, null),
                http.mayar("POST", MAYAR_UPDATE, MAYAR_POST), http.mayar("GET", MAYAR_READ, null));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            // not the vendor, so not its rate-limit headers either
            assertThat(answer.headers().firstValue("X-RateLimit-Limit")).isEmpty();
            switch (kind) {
                case HTML_PAGE -> {
                    assertThat(answer.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
                    assertThat(answer.body()).startsWith("<!DOCTYPE html><html>").contains("Sign in");
                }
                case EMPTY_BODY -> {
                    assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
                    assertThat(answer.headers().firstValue("Content-Length")).contains("0");
                    assertThat(answer.body()).isEmpty();
                }
                case OTHER_JSON -> {
                    assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
                    assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree("{\"ok\": true}"));
                }
                case OTHER_ID -> throw new AssertionError("not a case here");
            }
        });
        assertNothingReachedTheVendors(before);
    }

    @Test
    void hangsOtherIdIsTheDocumentedEnvelopeOfAnotherMembershipEchoingTheWrite() throws Exception {
        Map<String, ObjectNode> before = records();
        sandbox.hang().behaviour().impostor(Impostor.OTHER_ID);

        JsonNode patch = body(http.hang("PATCH", HANG, HANG_PATCH), 200).get("membership");
        JsonNode get = body(http.hang("GET", HANG, null), 200).get("membership");

        assertThat(patch.propertyNames()).containsExactly("id", "external_user_id", "created_at", "phone", "email",
                "social_media_credentials", "family_member_birthdays");
        assertThat(patch.get("id").stringValue()).isNotEqualTo("pm_1");
        assertThat(patch.get("email").stringValue()).isEqualTo("new@example.com");
        assertThat(patch.get("external_user_id").stringValue()).isEqualTo("ext-1");
        assertThat(get.get("id").stringValue()).isNotEqualTo("pm_1");
        assertThat(get.get("email").isNull()).isTrue();
        assertNothingReachedTheVendors(before);
    }

    @Test
    void decodasOtherIdIsAMembershipWithAnotherIdAndForTheListAPageOfIt() throws Exception {
        Map<String, ObjectNode> before = records();
        sandbox.decoda().behaviour().impostor(Impostor.OTHER_ID);

        JsonNode put = body(http.decoda("PUT", DECODA, DECODA_PUT), 200);
        JsonNode get = body(http.decoda("GET", DECODA, null), 200);
        JsonNode list = body(http.decoda("GET", "/inventory/memberships", null), 200);

        assertThat(put.get("id").stringValue()).isNotEqualTo("mem_1");
        assertThat(put.get("name").stringValue()).isEqualTo("Glow Plus");
        assertThat(put.get("price").asInt()).isEqualTo(10900);
        assertThat(put.get("textColor").stringValue()).isEqualTo("#C2185B");
        assertThat(put.has("feeSchedule")).isTrue();
        assertThat(get.get("id").stringValue()).isNotEqualTo("mem_1");
        assertThat(get.get("name").isString()).isTrue();
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("data").get(0).get("id").stringValue()).isNotEqualTo("mem_1");
        assertNothingReachedTheVendors(before);
    }

    @Test
    void mayarsOtherIdIsTheWriteAndReadEnvelopesOfAnotherMember() throws Exception {
        Map<String, ObjectNode> before = records();
        sandbox.mayar().behaviour().impostor(Impostor.OTHER_ID);

        JsonNode post = body(http.mayar("POST", MAYAR_UPDATE, MAYAR_POST), 200);
        JsonNode get = body(http.mayar("GET", MAYAR_READ, null), 200);
        JsonNode list = body(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-a", null), 200);

        assertThat(post.get("statusCode").asInt()).isEqualTo(200);
        assertThat(post.get("message").stringValue()).isEqualTo("success");
        JsonNode customer = post.at("/data/membershipCustomer");
        assertThat(customer.get("memberId").stringValue()).isNotEqualTo("MBR1");
        assertThat(customer.get("paymentLinkId").stringValue()).isEqualTo("prod-a");
        assertThat(customer.get("status").stringValue()).isEqualTo("stopped");
        assertThat(get.get("messages").stringValue()).isEqualTo("success");
        assertThat(get.at("/data/memberId").stringValue()).isNotEqualTo("MBR1");
        assertThat(list.get("hasMore").booleanValue()).isFalse();
        assertThat(list.at("/data/0/memberId").stringValue()).isNotEqualTo("MBR1");
        assertNothingReachedTheVendors(before);
    }

    @Test
    void anImpostorOfGetsOnlyLeavesDecodasPutServedAndOneOfPutsOnlyLeavesItsGet() throws Exception {
        sandbox.decoda().behaviour().impostor(Impostor.HTML_PAGE, "GET");

        HttpResponse<String> read = http.decoda("GET", DECODA, null);
        JsonNode put = body(http.decoda("PUT", DECODA, DECODA_PUT), 200);

        assertThat(read.body()).startsWith("<!DOCTYPE html>");
        assertThat(put.get("id").stringValue()).isEqualTo("mem_1");
        assertThat(sandbox.decoda().membership("mem_1").orElseThrow().get("price").asInt()).isEqualTo(10900);
        assertThat(sandbox.decoda().served("PUT")).hasSize(1);
        assertThat(sandbox.decoda().served("GET")).isEmpty();

        sandbox.decoda().behaviour().impostor(Impostor.EMPTY_BODY, "put");

        HttpResponse<String> write = http.decoda("PUT", DECODA, "{\"name\":\"Glow\",\"price\":1}");
        JsonNode get = body(http.decoda("GET", DECODA, null), 200);

        assertThat(write.body()).isEmpty();
        assertThat(get.get("price").asInt()).isEqualTo(10900);
        assertThat(sandbox.decoda().served("PUT")).hasSize(1);
        assertThat(sandbox.decoda().served("GET")).hasSize(1);
    }

    @Test
    void anImpostorTakesNoPermitOfTheVendorsRateLimit() throws Exception {
        sandbox.hang().behaviour().rateLimit(1, Duration.ofMinutes(1)).impostor(Impostor.OTHER_JSON, "GET");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(http.hang("GET", HANG, null).statusCode());
        }
        statuses.add(http.hang("PATCH", HANG, "{}").statusCode());
        statuses.add(http.hang("PATCH", HANG, "{}").statusCode());

        assertThat(statuses).containsExactly(200, 200, 200, 200, 429);
    }

    @Test
    void resetTurnsTheImpostorOff() throws Exception {
        sandbox.mayar().behaviour().impostor(Impostor.HTML_PAGE);
        sandbox.mayar().behaviour().reset();

        JsonNode read = body(http.mayar("GET", MAYAR_READ, null), 200);

        assertThat(read.at("/data/memberId").stringValue()).isEqualTo("MBR1");
        assertThat(sandbox.mayar().requests()).noneMatch(RecordedRequest::impostor);
        sandbox.mayar().behaviour().impostor(Impostor.HTML_PAGE).impostor(null);
        assertThat(body(http.mayar("GET", MAYAR_READ, null), 200).at("/data/memberId").stringValue()).isEqualTo("MBR1");
    }

    @Test
    void theAdminRouteSwitchesTheImpostorOfEveryAccountOfAVendor() throws Exception {
        HangSandbox brandB = sandbox.hang("brand-b");

        JsonNode on = body(http.admin("PUT", "/hang/impostor", "{\"answer\":\"html\",\"methods\":[\"PATCH\"]}"), 200);
        HttpResponse<String> patch = http.as(brandB, "PATCH", HANG, HANG_PATCH);
        int get = http.as(brandB, "GET", HANG, null).statusCode();
        JsonNode shown = body(http.admin("GET", "/hang/impostor", null), 200);
        JsonNode all = body(http.admin("PUT", "/hang/impostor", "{\"answer\":\"other-id\"}"), 200);
        JsonNode off = body(http.admin("PUT", "/hang/impostor", "{\"answer\":\"none\"}"), 200);

        assertThat(on).isEqualTo(JSON.readTree("{\"answer\":\"html\",\"methods\":[\"PATCH\"]}"));
        assertThat(patch.body()).startsWith("<!DOCTYPE html>");
        assertThat(brandB.memberships()).isEmpty();
        assertThat(get).isEqualTo(404);
        assertThat(shown).isEqualTo(on);
        assertThat(all).isEqualTo(JSON.readTree("{\"answer\":\"other-id\",\"methods\":[]}"));
        assertThat(off).isEqualTo(JSON.readTree("{\"answer\":\"none\",\"methods\":[]}"));
        assertThat(sandbox.hang().behaviour().impostor()).isNull();
        assertThat(http.admin("PUT", "/hang/impostor", "{\"answer\":\"teapot\"}").statusCode()).isEqualTo(400);
        assertThat(http.admin("PUT", "/hang/impostor", "{\"answer\":\"html\",\"methods\":\"GET\"}").statusCode()).isEqualTo(400);
        assertThat(http.admin("PUT", "/hang/impostor", "[]").statusCode()).isEqualTo(400);
        assertThat(sandbox.hang().behaviour().impostor()).isNull();
        assertThat(http.admin("DELETE", "/hang/impostor", null).statusCode()).isEqualTo(405);
        assertThat(http.admin("PUT", "/nobody/impostor", "{\"answer\":\"none\"}").statusCode()).isEqualTo(404);
    }

    /** Every record as the vendors store it, by "vendor/id". */
    private Map<String, ObjectNode> records() {
        return Map.of("hang/pm_1", sandbox.hang().membership("pm_1").orElseThrow(),
                "decoda/mem_1", sandbox.decoda().membership("mem_1").orElseThrow(),
                "mayar/MBR1", sandbox.mayar().member("MBR1").orElseThrow());
    }

    private void assertNothingReachedTheVendors(Map<String, ObjectNode> before) {
        assertThat(records()).isEqualTo(before);
        assertThat(sandbox.hang().memberships()).containsOnlyKeys("pm_1");
        assertThat(sandbox.decoda().memberships()).containsOnlyKeys("mem_1");
        assertThat(sandbox.mayar().members()).containsOnlyKeys("MBR1");
        assertThat(sandbox.vendors().values()).allSatisfy(vendor -> {
            assertThat(vendor.requests()).allSatisfy(r -> {
                assertThat(r.impostor()).isTrue();
                assertThat(r.status()).isEqualTo(200);
            });
            assertThat(List.of("GET", "PATCH", "PUT", "POST")).allSatisfy(m -> assertThat(vendor.served(m)).isEmpty());
        });
    }
}
