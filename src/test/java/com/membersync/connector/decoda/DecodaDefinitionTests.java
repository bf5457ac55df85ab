package com.membersync.connector.decoda;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.AccountSettings;
import com.membersync.connector.Fields;
import com.membersync.connector.RowResult;
import com.membersync.source.ColumnLayout;
import com.membersync.source.SourceRow;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** How a Decoda row is validated and normalised, and how Decoda's answer becomes the cached state; no I/O. */
class DecodaDefinitionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final DecodaDefinition decoda = new DecodaDefinition(JSON);

    @Test
    void everyManagedFieldIsNormalisedToItsCanonicalJson() {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("name", "  Glow Club  ");
        cells.put("price", "9900");
        cells.put("externalId", "crm-101");
        cells.put("description", "Monthly facial");
        cells.put("globalDiscountPercentage", "10.50");
        cells.put("patientCreditAmount", "5000");
        cells.put("patientCreditFrequency", "quarterly");
        cells.put("patientCreditExpiryDays", "90");
        cells.put("maxRenewals", "12");
        cells.put("autoRenew", "yes");
        cells.put("setupFee", "0");
        cells.put("freezeFee", "1500");
        cells.put("minimumBillingCycles", "3");
        cells.put("billingFrequency", "Semi_Annually");
        cells.put("textColor", "#C2185B");
        cells.put("isArchived", "FALSE");
        cells.put("ruleSetId", "rs_1");
        cells.put("discounts", "[{\"discountPercentage\": 10.0, \"itemCategory\": \"Skincare\"}, {\"quantity\": 1.0, \"itemId\": \"svc\"}]");

        RowResult result = read(cells);

        assertThat(result).isInstanceOf(RowResult.Desired.class);
        assertThat(reparsed(((RowResult.Desired) result).fields())).isEqualTo(JSON.readTree("""
                {"name":"Glow Club","price":9900,"externalId":"crm-101","description":"Monthly facial",
                 "globalDiscountPercentage":10.5,"patientCreditAmount":5000,"patientCreditFrequency":"QUARTERLY",
                 "patientCreditExpiryDays":90,"maxRenewals":12,"autoRenew":true,"setupFee":0,"freezeFee":1500,
                 "minimumBillingCycles":3,"billingFrequency":"SEMI_ANNUALLY","textColor":"#C2185B","isArchived":false,
                 "ruleSetId":"rs_1",
                 "discounts":[{"itemCategory":"Skincare","discountPercentage":10},{"itemId":"svc","quantity":1}]}"""));
        // Canonical text: whole numbers without ".0", discount members in the documented order.
        assertThat(((RowResult.Desired) result).fields().get("discounts").toString())
                .isEqualTo("[{\"itemCategory\":\"Skincare\",\"discountPercentage\":10},{\"itemId\":\"svc\",\"quantity\":1}]");
        assertThat(((RowResult.Desired) result).fields().get("globalDiscountPercentage").toString()).isEqualTo("10.5");
    }

    @Test
    void blankCellsAreNotManagedAndBlankNameOrPriceIsNotAReasonToReject() {
        RowResult result = read(Map.of("billingFrequency", "YEARLY", "name", " ", "price", ""));

        assertThat(result).isInstanceOf(RowResult.Desired.class);
        assertThat(reparsed(((RowResult.Desired) result).fields())).isEqualTo(JSON.readTree("{\"billingFrequency\":\"YEARLY\"}"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "price|12.50|not an amount in integer cents",
            "price|-100|negative",
            "setupFee|free|not an amount in integer cents",
            "patientCreditAmount|-1|negative",
            "freezeFee|1e3|not an amount in integer cents",
            "maxRenewals|-2|negative",
            "minimumBillingCycles|three|not a whole number",
            "patientCreditExpiryDays|1.5|not a whole number",
            "billingFrequency|FORTNIGHTLY|not one of BIWEEKLY, DAILY, MONTHLY, QUARTERLY, SEMI_ANNUALLY, WEEKLY, YEARLY",
            "patientCreditFrequency|monthly-ish|not one of",
            "autoRenew|maybe|not true or false",
            "isArchived|archived|not true or false",
            "globalDiscountPercentage|ten|not a number",
            "globalDiscountPercentage|101|not a percentage between 0 and 100",
            "globalDiscountPercentage|-5|not a percentage between 0 and 100",
    })
    void anInvalidCellRejectsTheRowNamingTheFieldAndWhy(String field, String value, String reason) {
        RowResult result = read(Map.of("name", "Glow", field, value));

        assertThat(result).isInstanceOfSatisfying(RowResult.Rejection.class, rejection -> {
            assertThat(rejection.key()).isEqualTo("mem_1");
            assertThat(rejection.field()).isEqualTo(field);
            assertThat(rejection.reason()).contains(reason);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"itemId\": \"x\"}|must be a JSON array",
            "[{\"itemId\": |is not valid JSON",
            "[\"svc_hydrafacial\"]|discounts[0] must be an object",
            "[{\"itemId\": \"x\"}, {\"discountPercent\": 10}]|discounts[1] has an unknown member 'discountPercent'",
            "[{\"quantity\": \"2\"}]|discounts[0].quantity must be a whole number",
            "[{\"quantity\": 1.5}]|discounts[0].quantity must be a whole number",
            "[{\"discountPercentage\": \"10%\"}]|discounts[0].discountPercentage must be a number",
            "[{\"rollover\": \"yes\"}]|discounts[0].rollover must be true or false",
            "[{\"itemId\": 42}]|discounts[0].itemId must be a string",
    })
    void discountsMustBeAJsonArrayOfDocumentedMembers(String cell, String reason) {
        RowResult result = read(Map.of("discounts", cell));

        assertThat(result).isInstanceOfSatisfying(RowResult.Rejection.class, rejection -> {
            assertThat(rejection.field()).isEqualTo("discounts");
            assertThat(rejection.reason()).contains(reason);
        });
    }

    @Test
    void decodasAnswerIsCachedSoThatTheNextRunSeesNoChange() {
        ObjectNode desired = ((RowResult.Desired) read(Map.of("price", "9900", "globalDiscountPercentage", "10",
                "discounts", "[{\"itemId\": \"svc\", \"discountPercentage\": 15}]"))).fields();
        ObjectNode sent = JSON.createObjectNode().put("name", "Glow").put("description", "kept");
        sent.setAll(desired);
        // Decoda answers numbers as floats and fills every discount member, with an id of its own.
        JsonNode answer = JSON.readTree("""
                {"id":"mem_1","name":"Glow","price":9900.0,"description":"kept","globalDiscountPercentage":10.0,
                 "memberCount":12,"totalRevenue":118800.0,
                 "discounts":[{"membershipId":"mem_1","id":"disc_7","itemId":"svc","itemCategory":null,
                   "isPhysical":null,"discountPercentage":15.0,"discountAmount":null,"creditAmount":null,"quantity":null,
                   "rollover":false,"rolloverExpiryDays":null,"neverExpire":false,"group":null,"isArchived":false}]}""");

        ObjectNode state = DecodaClient.stateAfter(desired, sent, answer);

        assertThat(Fields.differ(desired, state)).isFalse();
        assertThat(Fields.differ(desired, (ObjectNode) JSON.readTree(JSON.writeValueAsString(state)))).isFalse();
        assertThat(state.get("memberCount").toString()).isEqualTo("12");
        assertThat(state.get("totalRevenue").toString()).isEqualTo("118800");
        assertThat(state.get("description").stringValue()).isEqualTo("kept");
        assertThat(state.get("id").stringValue()).isEqualTo("mem_1");
    }

    @Test
    void aManagedFieldDecodaAnswersDifferentlyKeepsDecodasValueSoItIsSentAgain() {
        ObjectNode desired = JSON.createObjectNode().put("name", "Glow").put("price", 9900);
        JsonNode answer = JSON.readTree("{\"name\":\"GLOW\",\"price\":9900}");

        ObjectNode state = DecodaClient.stateAfter(desired, desired.deepCopy(), answer);

        assertThat(state.get("name").stringValue()).isEqualTo("GLOW");
        assertThat(Fields.changed(desired, state)).containsExactly("name");
    }

    @Test
    void settingsNeedBothApiKeyAndTenant() {
        var defaults = decoda.defaults();

        assertThat(decoda.name()).isEqualTo("decoda");
        assertThat(decoda.keyField()).isEqualTo("membership_id");
        assertThat(defaults.baseUrl()).hasToString("https://api.decodahealth.com");
        assertThat(defaults.maxConcurrency()).isEqualTo(4);
        assertThat(defaults.maxAttempts()).isEqualTo(5);
        var noTenant = new AccountSettings("decoda", "decoda", defaults.baseUrl(), "key", null,
                defaults.rateLimit(), "decoda", 4, defaults.timeout(), 5);
        Assertions.assertThatThrownBy(() -> decoda.checkSettings(noTenant))
                .hasMessageContaining("tenant");
    }

    /** Jackson's int and long nodes are not equal; compare what would be sent. */
    private static JsonNode reparsed(JsonNode node) {
        return JSON.readTree(node.toString());
    }

    private RowResult read(Map<String, String> cells) {
        String[] header = new String[cells.size() + 1];
        String[] row = new String[cells.size() + 1];
        header[0] = "membership_id";
        row[0] = "mem_1";
        int i = 1;
        for (var cell : cells.entrySet()) {
            header[i] = cell.getKey();
            row[i++] = cell.getValue();
        }
        return decoda.read(SourceRow.of(2, row, ColumnLayout.of(header, Map.of())), ZoneOffset.UTC);
    }
}
