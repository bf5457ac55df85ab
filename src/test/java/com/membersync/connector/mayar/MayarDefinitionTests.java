package com.membersync.connector.mayar;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.RateLimit;
import com.membersync.config.RatePolicy;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.Fields;
import com.membersync.connector.RowResult;
import com.membersync.source.ColumnLayout;
import com.membersync.source.SourceRow;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** How a Mayar row becomes the update's fields, and how Mayar's answer becomes the cached state. */
class MayarDefinitionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] HEADER = {"memberId", "productId", "membershipTierId", "membershipMonthlyPeriod",
            "status", "nextPayment", "expiredAt"};
    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
    private static final String PRODUCT = "7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    private final MayarDefinition mayar = new MayarDefinition(JSON);

    @Test
    void defaultsFollowMayarsDocumentation() {
        assertThat(mayar.name()).isEqualTo("mayar");
        assertThat(mayar.keyField()).isEqualTo("memberId");
        assertThat(mayar.fields()).containsExactly("productId", "membershipTierId", "membershipMonthlyPeriod", "status",
                "nextPayment", "expiredAt");
        assertThat(mayar.defaults().baseUrl()).isEqualTo(URI.create("https://api.mayar.id"));
        assertThat(mayar.defaults().rateLimit()).isEqualTo(new RatePolicy.Fixed(new RateLimit(20, Duration.ofMinutes(1))));
        assertThat(mayar.defaults().maxConcurrency()).isEqualTo(2);
        assertThat(mayar.defaults().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(mayar.defaults().maxAttempts()).isEqualTo(5);
    }

    @Test
    void aFullRowIsNormalisedWithTimesInUtc() {
        RowResult result = mayar.read(row("MBR8X2QK", PRODUCT, " tier-1 ", "1", "Active", "2026-08-20T16:10:57.994+07:00",
                "2026-09-20"), JAKARTA);

        assertThat(result).isInstanceOf(RowResult.Desired.class);
        assertThat(reparsed(((RowResult.Desired) result).fields())).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","membershipTierId":"tier-1",
                 "membershipMonthlyPeriod":1,"status":"active",
                 "nextPayment":"2026-08-20T09:10:57.994Z","expiredAt":"2026-09-19T17:00:00Z"}"""));
    }

    @Test
    void blankCellsAreNotManagedAndOffsetLessTimesAreReadInTheFeedZone() {
        ObjectNode fields = desired(row("MBR3J7PL", PRODUCT, "", "", "", "2026-07-01T08:00:00", ""), JAKARTA);
        assertThat(reparsed(fields)).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","nextPayment":"2026-07-01T01:00:00Z"}"""));

        assertThat(desired(row("MBR3J7PL", PRODUCT, "", "", "", "2026-07-01", ""), ZoneOffset.UTC)
                .get("nextPayment").stringValue()).isEqualTo("2026-07-01T00:00:00Z");
    }

    @Test
    void theSameInstantWrittenDifferentlyGivesTheSameText() {
        String fromOffset = desired(row("M1", PRODUCT, "", "", "", "2026-08-20T16:10:57.994+07:00", ""), JAKARTA)
                .get("nextPayment").stringValue();
        String fromUtc = desired(row("M1", PRODUCT, "", "", "", "2026-08-20T09:10:57.994000Z", ""), JAKARTA)
                .get("nextPayment").stringValue();
        String beyondMillis = desired(row("M1", PRODUCT, "", "", "", "2026-08-20T09:10:57.994999Z", ""), JAKARTA)
                .get("nextPayment").stringValue();

        assertThat(fromOffset).isEqualTo(fromUtc).isEqualTo(beyondMillis).isEqualTo("2026-08-20T09:10:57.994Z");
    }

    @Test
    void aMissingProductIdIsRejectedNamingIt() {
        RowResult result = mayar.read(row("MBR8X2QK", "", "", "", "active", "", ""), JAKARTA);

        assertThat(result).isInstanceOfSatisfying(RowResult.Rejection.class, r -> {
            assertThat(r.field()).isEqualTo("productId");
            assertThat(r.reason()).contains("productId is required");
            assertThat(r.line()).isEqualTo(7);
        });
    }

    @Test
    void invalidCellsAreRejectedWithTheFieldAndReason() {
        assertRejected(row("M1", PRODUCT, "", "", "paused", "", ""), "status",
                "'paused' is not one of active, finished, inactive, stopped");
        assertRejected(row("M1", PRODUCT, "", "0", "", "", ""), "membershipMonthlyPeriod", "must be a positive whole number");
        assertRejected(row("M1", PRODUCT, "", "1.5", "", "", ""), "membershipMonthlyPeriod", "not a whole number");
        assertRejected(row("M1", PRODUCT, "", "", "", "1787217057994", ""), "nextPayment", "not a date or time");
        assertRejected(row("M1", PRODUCT, "", "", "", "", "2026-02-30"), "expiredAt", "not a date or time");
    }

    @Test
    void theAnswerIsMappedBackSoTheNextRunSeesNoChange() {
        ObjectNode sent = desired(row("MBR8X2QK", PRODUCT, "tier-1", "1", "active", "2026-08-20T16:10:57+07:00",
                "2026-09-20"), JAKARTA);
        var answer = JSON.readTree("""
                {"statusCode":200,"message":"success","data":{"membershipCustomer":{
                  "id":"c4d5e6f7","memberId":"MBR8X2QK","userId":"u","customerId":"c","membershipTierId":"tier-1",
                  "paymentLinkId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","monthlyPaymentPeriod":1,"status":"active",
                  "nextPayment":"2026-08-20T09:10:57.000Z","expiredAt":"2026-09-19T17:00:00.000Z",
                  "createdAt":"2026-06-20T09:10:57.994Z","updatedAt":"2026-06-23T10:30:00.000Z"}}}""");

        ObjectNode state = MayarClient.stateAfter(null, sent, answer, JSON);

        assertThat(reparsed(state)).isEqualTo(reparsed(sent));
        assertThat(Fields.differ(sent, state)).isFalse();
    }

    @Test
    void fieldsTheFeedDoesNotManageAreRememberedFromTheAnswer() {
        ObjectNode sent = desired(row("MBR3J7PL", PRODUCT, "", "", "stopped", "", ""), JAKARTA);
        var answer = JSON.readTree("""
                {"data":{"membershipCustomer":{"paymentLinkId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                  "membershipTierId":"tier-9","monthlyPaymentPeriod":3,"status":"stopped",
                  "nextPayment":null,"expiredAt":"2026-12-31T00:00:00.000Z"}}}""");

        ObjectNode state = MayarClient.stateAfter(null, sent, answer, JSON);

        assertThat(reparsed(state)).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","status":"stopped","membershipTierId":"tier-9",
                 "membershipMonthlyPeriod":3,"expiredAt":"2026-12-31T00:00:00Z"}"""));
    }

    @Test
    void refusalsCarryMayarsMessageAndTheFieldItConcerns() {
        assertThat(MayarClient.refusal(400, JSON.readTree("""
                {"statusCode":400,"message":"You are not authorized to edit this product!"}"""), null))
                .isEqualTo(new DeliveryOutcome.Refused(400, "productId", "You are not authorized to edit this product!"));
        assertThat(MayarClient.refusal(404, JSON.readTree("""
                {"statusCode":404,"message":"Member dengan ID MBR1 tidak ditemukan."}"""), null))
                .isEqualTo(new DeliveryOutcome.Refused(404, "memberId", "Member dengan ID MBR1 tidak ditemukan."));
        assertThat(MayarClient.refusal(400, JSON.readTree("""
                {"statusCode":400,"message":"Invalid request body"}"""), null))
                .isEqualTo(new DeliveryOutcome.Refused(400, null, "Invalid request body"));
        assertThat(MayarClient.refusal(400, JSON.readTree("""
                {"statusCode":400,"message":"Invalid path parameter"}"""), null))
                .isEqualTo(new DeliveryOutcome.Refused(400, "memberId", "Invalid path parameter"));
        assertThat(MayarClient.refusal(422, JSON.createObjectNode(), "<html>nope</html>"))
                .isEqualTo(new DeliveryOutcome.Refused(422, null, "<html>nope</html>"));
    }

    private void assertRejected(SourceRow row, String field, String reason) {
        assertThat(mayar.read(row, JAKARTA)).isInstanceOfSatisfying(RowResult.Rejection.class, r -> {
            assertThat(r.field()).isEqualTo(field);
            assertThat(r.reason()).contains(reason);
        });
    }

    private ObjectNode desired(SourceRow row, ZoneId zone) {
        RowResult result = mayar.read(row, zone);
        assertThat(result).isInstanceOf(RowResult.Desired.class);
        return ((RowResult.Desired) result).fields();
    }

    /** Jackson's int and long nodes differ in equals(); the wire text does not. */
    private static JsonNode reparsed(ObjectNode node) {
        return JSON.readTree(node.toString());
    }

    private static SourceRow row(String... cells) {
        return SourceRow.of(7, cells, ColumnLayout.of(HEADER, Map.of()));
    }
}
