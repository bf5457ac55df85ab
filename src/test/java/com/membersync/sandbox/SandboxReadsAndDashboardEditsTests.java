package com.membersync.sandbox;

import static com.membersync.sandbox.SandboxHttp.JSON;
import static com.membersync.sandbox.SandboxHttp.body;
import static com.membersync.support.SyncFixture.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's read endpoints as the vendor notes document them, and its stand-in for the vendors' dashboards,
 * over real HTTP.
 */
class SandboxReadsAndDashboardEditsTests extends SandboxOverHttp {

    @Test
    void decodasListPagesThroughEveryMembershipInIdOrderWithTheTotal() throws Exception {
        // seeded out of order, so the answer's order is the sandbox's, not the map's
        for (int i : IntStream.rangeClosed(1, 30).map(i -> 31 - i).toArray()) {
            sandbox.decoda().seed("mem_%02d".formatted(i), object("{\"name\":\"Plan " + i + "\",\"price\":" + i + "00}"));
        }

        JsonNode first = body(http.decoda("GET", "/inventory/memberships", null), 200);
        JsonNode second = body(http.decoda("GET", "/inventory/memberships?page=2", null), 200);
        JsonNode past = body(http.decoda("GET", "/inventory/memberships?page=3", null), 200);
        JsonNode third = body(http.decoda("GET", "/inventory/memberships?page=3&per_page=10", null), 200);
        JsonNode all = body(http.decoda("GET", "/inventory/memberships?per_page=" + DecodaSandbox.MAX_PER_PAGE, null), 200);

        assertThat(ids(first, "id")).isEqualTo(range("mem_%02d", 1, 25));
        assertThat(first.get("total").asInt()).isEqualTo(30);
        assertThat(ids(second, "id")).isEqualTo(range("mem_%02d", 26, 30));
        assertThat(past.get("data")).isEmpty();
        assertThat(past.get("total").asInt()).isEqualTo(30);
        assertThat(ids(third, "id")).isEqualTo(range("mem_%02d", 21, 30));
        assertThat(ids(all, "id")).isEqualTo(range("mem_%02d", 1, 30));
        // a listed membership is what the GET of one answers
        assertThat(first.get("data").get(6)).isEqualTo(body(http.decoda("GET", "/inventory/memberships/mem_07", null), 200));
    }

    @Test
    void decodasListRefusesPagesBelowOneAndPagesLargerThanItsMaximumAsFastApiDoes() throws Exception {
        assertThat(body(http.decoda("GET", "/inventory/memberships?per_page=" + (DecodaSandbox.MAX_PER_PAGE + 1) + "&page=0",
                null), 422)).isEqualTo(JSON.readTree("""
                {"detail":[
                  {"loc":["query","page"],"msg":"Input should be greater than or equal to 1","type":"greater_than_equal"},
                  {"loc":["query","per_page"],"msg":"Input should be less than or equal to 100","type":"less_than_equal"}]}"""));
        assertThat(body(http.decoda("GET", "/inventory/memberships?per_page=ten", null), 422).get("detail").get(0).get("type")
                .stringValue()).isEqualTo("int_parsing");
    }

    @Test
    void mayarsCursorListWalksTheMembersOfOneProductAPageARequest() throws Exception {
        MayarSandbox mayar = sandbox.mayar();
        for (int i : new int[] {7, 3, 5, 1, 6, 2, 4}) {
            mayar.seed("MBR" + i, "prod-a");
        }
        for (int i = 1; i <= 3; i++) {
            mayar.seed("OTHER" + i, "prod-b");
        }

        List<String> seen = new ArrayList<>();
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = body(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-a&limit=3"
                    + (cursor == null ? "" : "&startingAfter=" + cursor), null), 200);
            pages.add(page);
            seen.addAll(ids(page, "memberId"));
            cursor = page.get("nextStartingAfter").asString(null);
        } while (pages.getLast().get("hasMore").booleanValue());

        assertThat(seen).containsExactly("MBR1", "MBR2", "MBR3", "MBR4", "MBR5", "MBR6", "MBR7");
        assertThat(pages).extracting(p -> p.get("data").size()).containsExactly(3, 3, 1);
        assertThat(pages.getFirst().get("statusCode").asInt()).isEqualTo(200);
        assertThat(pages.getFirst().get("messages").stringValue()).isEqualTo("success");
        assertThat(pages.getFirst().get("nextStartingAfter").stringValue()).isEqualTo("MBR3");
        assertThat(pages.getLast().get("hasMore").booleanValue()).isFalse();
        assertThat(pages.getLast().get("nextStartingAfter").isNull()).isTrue();
        assertThat(mayar.served("GET")).hasSize(3);
        // a member in the list is what the read of one answers
        assertThat(pages.getFirst().get("data").get(0))
                .isEqualTo(body(http.mayar("GET", "/hl/v2/memberships/members/MBR1?productId=prod-a", null), 200).get("data"));
        assertThat(ids(body(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-b&limit=50", null), 200), "memberId"))
                .containsExactly("OTHER1", "OTHER2", "OTHER3");
        assertThat(body(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-none", null), 200).get("data")).isEmpty();
    }

    @Test
    void mayarsListCountsEveryPageAgainstTheRateLimitAndAnswersReadErrorsWithMessages() throws Exception {
        MayarSandbox mayar = sandbox.mayar();
        mayar.seed("MBR1", "prod-a");

        JsonNode tooLarge = body(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-a&limit=51", null), 400);
        JsonNode noProduct = body(http.mayar("GET", "/hl/v2/memberships/members?limit=50", null), 400);
        HttpResponse<String> unauthorized = http.send("GET",
                sandbox.baseUrl("mayar") + "/hl/v2/memberships/members?productId=prod-a", null);
        mayar.behaviour().rateLimit(2, Duration.ofMinutes(1));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-a&limit=50", null).statusCode());
        }

        assertThat(tooLarge).isEqualTo(JSON.readTree("{\"statusCode\":400,\"messages\":\"Invalid query parameter\"}"));
        assertThat(noProduct.get("messages").stringValue()).isEqualTo("Invalid query parameter");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unauthorized.body()).has("messages")).isTrue();
        assertThat(statuses).containsExactly(200, 200, 429);
    }

    @Test
    void hangsGetAnswersTheDocumentedEnvelopeWithoutNamesOrBirthday() throws Exception {
        http.hang("PATCH", "/v2/program-memberships/pm_1", """
                {"external_user_id":"ext-1","first_name":"Joe","last_name":"Smith","birthday":"1980-02-03",
                 "phone":"(789) 123-4567","email":"joe@example.com",
                 "family_member_birthdays":[{"first_name":"Ann","birthday":"2010-05-06","status":"active"}]}""");

        JsonNode answer = body(http.hang("GET", "/v2/program-memberships/pm_1", null), 200);

        JsonNode membership = answer.get("membership");
        assertThat(answer.propertyNames()).containsExactly("membership");
        assertThat(membership.propertyNames()).containsExactly("id", "external_user_id", "created_at", "phone", "email",
                "social_media_credentials", "family_member_birthdays");
        assertThat(membership.get("phone").stringValue()).isEqualTo("+17891234567");
        assertThat(membership.get("family_member_birthdays")).isEqualTo(JSON.readTree("""
                [{"first_name":"Ann","last_name":"","birth_date":"2010-05-06","status":"active"}]"""));
    }

    @Test
    void aDashboardEditIsSeenByTheVendorsOwnReadsButIsNoVendorRequest() throws Exception {
        sandbox.hang().seed("pm_1", object("{\"email\":\"old@example.com\",\"phone\":\"+17891234567\",\"created_at\":1}"));
        sandbox.decoda().seed("mem_1", object("{\"name\":\"Glow\",\"price\":9900,\"textColor\":null}"));
        sandbox.mayar().seed("MBR1", "prod-a", object("{\"updatedAt\":\"2026-01-01T00:00:00.000Z\"}"));
        // the dashboard needs no key and is not held to the vendor's rate limit
        sandbox.vendors().values().forEach(v -> v.behaviour().rateLimit(1, Duration.ofMinutes(1)));

        JsonNode hangEdit = body(http.admin("PATCH", "/hang/memberships/pm_1", """
                {"email":"fixed@example.com","phone":"+1 415 555 0132"}"""), 200);
        JsonNode decodaEdit = body(http.admin("PATCH", "/decoda/memberships/mem_1", """
                {"textColor":"#C2185B","feeSchedule":[{"id":"fs_1","membershipId":"mem_1","cycleNumber":2,"price":0}]}"""), 200);
        JsonNode mayarEdit = body(http.admin("PATCH", "/mayar/members/MBR1", "{\"status\":\"stopped\"}"), 200);

        assertThat(hangEdit.get("email").stringValue()).isEqualTo("fixed@example.com");
        assertThat(hangEdit.get("phone").stringValue()).isEqualTo("+1 415 555 0132"); // stored as typed
        assertThat(body(http.admin("GET", "/hang/memberships/pm_1", null), 200)).isEqualTo(hangEdit);
        assertThat(decodaEdit.get("textColor").stringValue()).isEqualTo("#C2185B");
        assertThat(decodaEdit.get("price").asInt()).isEqualTo(9900);
        assertThat(mayarEdit.get("status").stringValue()).isEqualTo("stopped");
        assertThat(mayarEdit.get("updatedAt").stringValue()).isNotEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(sandbox.vendors().values()).allSatisfy(v -> assertThat(v.requests()).isEmpty());

        sandbox.vendors().values().forEach(v -> v.behaviour().reset());
        JsonNode hangRead = body(http.hang("GET", "/v2/program-memberships/pm_1", null), 200).get("membership");
        JsonNode decodaRead = body(http.decoda("GET", "/inventory/memberships/mem_1", null), 200);
        JsonNode decodaList = body(http.decoda("GET", "/inventory/memberships", null), 200);
        JsonNode mayarList = body(http.mayar("GET", "/hl/v2/memberships/members?productId=prod-a", null), 200);

        assertThat(hangRead.get("email").stringValue()).isEqualTo("fixed@example.com");
        assertThat(hangRead.get("phone").stringValue()).isEqualTo("+14155550132");
        assertThat(decodaRead.get("feeSchedule").get(0).get("cycleNumber").asInt()).isEqualTo(2);
        assertThat(decodaList.get("data").get(0)).isEqualTo(decodaRead);
        assertThat(mayarList.get("data").get(0).get("status").stringValue()).isEqualTo("stopped");
        assertThat(sandbox.hang().requests()).extracting(RecordedRequest::path)
                .containsExactly("/v2/program-memberships/pm_1");
        assertThat(sandbox.decoda().requests()).extracting(RecordedRequest::path)
                .containsExactly("/inventory/memberships/mem_1", "/inventory/memberships");
        assertThat(sandbox.mayar().requests()).extracting(RecordedRequest::path)
                .containsExactly("/hl/v2/memberships/members");
    }

    @Test
    void theDashboardKeepsTheRecordsIdAndAnswers404And400And405() throws Exception {
        sandbox.decoda().seed("mem_1", object("{\"name\":\"Glow\",\"price\":9900}"));

        JsonNode moved = body(http.admin("PATCH", "/decoda/memberships/mem_1", "{\"id\":\"mem_2\",\"price\":100}"), 200);

        assertThat(moved.get("id").stringValue()).isEqualTo("mem_1");
        assertThat(sandbox.decoda().membership("mem_1").orElseThrow().get("price").asInt()).isEqualTo(100);
        assertThat(body(http.admin("PATCH", "/decoda/memberships/unknown", "{}"), 404).get("error").stringValue())
                .contains("unknown");
        assertThat(http.admin("GET", "/mayar/members/nobody", null).statusCode()).isEqualTo(404);
        assertThat(http.admin("GET", "/hang/members/pm_1", null).statusCode()).isEqualTo(404);
        assertThat(http.admin("PATCH", "/decoda/memberships/mem_1", "[1]").statusCode()).isEqualTo(400);
        assertThat(http.admin("PATCH", "/decoda/memberships/mem_1", "{oops").statusCode()).isEqualTo(400);
        assertThat(http.admin("DELETE", "/decoda/memberships/mem_1", null).statusCode()).isEqualTo(405);
        // the Java method behind the route
        assertThat(sandbox.hang().edit("pm_none", object("{}"))).isEmpty();
        assertThat(sandbox.decoda().edit("mem_1", object("{\"textColor\":\"#000\"}")).orElseThrow()
                .get("textColor").stringValue()).isEqualTo("#000");
    }

    @Test
    void decodasPutKeepsMerchantAccountAndFeeScheduleItIsGivenAndResetsThemWhenLeftOut() throws Exception {
        JsonNode put = body(http.decoda("PUT", "/inventory/memberships/mem_1", """
                {"name":"Glow","price":9900,"merchantAccountId":"acct_main",
                 "feeSchedule":[{"cycleNumber":1,"price":4900},
                                {"id":"fs_keep","membershipId":"someone-else","cycleNumber":2,"price":0}]}"""), 200);

        assertThat(put.get("merchantAccountId").stringValue()).isEqualTo("acct_main");
        assertThat(put.get("feeSchedule").get(0).get("id").isString()).isTrue();
        assertThat(put.get("feeSchedule").get(1)).isEqualTo(JSON.readTree("""
                {"id":"fs_keep","membershipId":"mem_1","cycleNumber":2,"price":0}"""));
        assertThat(put.get("feeSchedule").get(0).get("membershipId").stringValue()).isEqualTo("mem_1");
        JsonNode read = body(http.decoda("GET", "/inventory/memberships/mem_1", null), 200);
        assertThat(read).isEqualTo(put);

        // read before write: the GET's answer sent back with one change keeps them as they are
        ObjectNode edited = ((ObjectNode) read).deepCopy().put("price", 10900);
        assertThat(body(http.decoda("PUT", "/inventory/memberships/mem_1", JSON.writeValueAsString(edited)), 200))
                .isEqualTo(edited);

        // a PUT replaces the whole object: what it leaves out is reset
        JsonNode reset = body(http.decoda("PUT", "/inventory/memberships/mem_1", "{\"name\":\"Glow\",\"price\":9900}"), 200);
        assertThat(reset.get("merchantAccountId").isNull()).isTrue();
        assertThat(reset.get("feeSchedule").isNull()).isTrue();
        assertThat(body(http.decoda("GET", "/inventory/memberships/unknown", null), 200).get("feeSchedule").isNull()).isTrue();
    }

    @Test
    void decodaRefusesAWrongMerchantAccountOrFeeScheduleWith422() throws Exception {
        JsonNode wrongTypes = body(http.decoda("PUT", "/inventory/memberships/mem_1", """
                {"name":"Glow","price":9900,"merchantAccountId":5,"feeSchedule":"monthly"}"""), 422);
        JsonNode wrongEntries = body(http.decoda("PUT", "/inventory/memberships/mem_1", """
                {"name":"Glow","price":9900,"feeSchedule":[{"cycleNumber":0,"price":-1},{"price":100},7,
                 {"cycleNumber":1.5,"price":1,"id":3}]}"""), 422);

        assertThat(wrongTypes).isEqualTo(JSON.readTree("""
                {"detail":[
                  {"loc":["body","merchantAccountId"],"msg":"Input should be a valid string","type":"string_type"},
                  {"loc":["body","feeSchedule"],"msg":"Input should be a valid list","type":"list_type"}]}"""));
        assertThat(wrongEntries).isEqualTo(JSON.readTree("""
                {"detail":[
                  {"loc":["body","feeSchedule",0,"cycleNumber"],"msg":"Input should be greater than or equal to 1",
                   "type":"greater_than_equal"},
                  {"loc":["body","feeSchedule",0,"price"],"msg":"Input should be greater than or equal to 0",
                   "type":"greater_than_equal"},
                  {"loc":["body","feeSchedule",1,"cycleNumber"],"msg":"Field required","type":"missing"},
                  {"loc":["body","feeSchedule",2],
                   "msg":"Input should be a valid dictionary or object to extract fields from",
                   "type":"model_attributes_type"},
                  {"loc":["body","feeSchedule",3,"id"],"msg":"Input should be a valid string","type":"string_type"},
                  {"loc":["body","feeSchedule",3,"cycleNumber"],
                   "msg":"Input should be a valid integer, got a number with a fractional part","type":"int_from_float"}]}"""));
        assertThat(sandbox.decoda().membership("mem_1")).isEmpty();
    }

    private static List<String> ids(JsonNode page, String field) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(item -> ids.add(item.get(field).stringValue()));
        return ids;
    }

    private static List<String> range(String format, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(format::formatted).toList();
    }
}
