package com.membersync.connector.decoda;

import com.membersync.channel.VendorChannel;
import com.membersync.config.RateLimit;
import com.membersync.config.RatePolicy;
import com.membersync.config.AccountSettings;
import com.membersync.connector.InvalidValue;
import com.membersync.connector.RowResult;
import com.membersync.connector.Values;
import com.membersync.connector.VendorClient;
import com.membersync.connector.VendorDefinition;
import com.membersync.connector.VendorDescriptor;
import com.membersync.source.SourceRow;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decoda Health: {@code PUT /inventory/memberships/{membership_id}}, which replaces the whole membership. A row
 * manages some of its fields; the rest are taken from the membership as Decoda has it (see {@link DecodaClient}).
 *
 * <p>One canonical form is used for what a row wants and for what Decoda answers, so that comparing their JSON
 * text is a faithful diff: whole numbers as long nodes (Decoda answers {@code number} fields as {@code 10.0}),
 * other numbers as doubles, discount members in the documented order.
 */
@Component
class DecodaDefinition implements VendorDefinition {

    static final String KEY = "membership_id";
    static final String NAME = "name";
    static final String PRICE = "price";
    static final String GLOBAL_DISCOUNT = "globalDiscountPercentage";
    static final String DISCOUNTS = "discounts";
    static final String ARCHIVED = "isArchived";

    static final Set<String> FREQUENCIES = Set.of("DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY", "QUARTERLY", "SEMI_ANNUALLY", "YEARLY");

    private static final List<String> TEXT = List.of("externalId", "description", "textColor", "ruleSetId");
    private static final List<String> CENTS = List.of("patientCreditAmount", "setupFee", "freezeFee");
    private static final List<String> COUNTS = List.of("patientCreditExpiryDays", "maxRenewals", "minimumBillingCycles");
    private static final List<String> ENUMS = List.of("patientCreditFrequency", "billingFrequency");
    private static final List<String> BOOLEANS = List.of("autoRenew", ARCHIVED);

    /** Every whole-number field of a membership, the vendor-kept counters included (for normalising answers). */
    private static final Set<String> WHOLE_NUMBERS = Set.of(PRICE, "patientCreditAmount", "patientCreditExpiryDays",
            "maxRenewals", "setupFee", "freezeFee", "minimumBillingCycles", "memberCount", "totalRevenue");

    private static final List<String> FIELDS = List.of(NAME, PRICE, "externalId", "description", GLOBAL_DISCOUNT,
            "patientCreditAmount", "patientCreditFrequency", "patientCreditExpiryDays", "maxRenewals", "autoRenew",
            "setupFee", "freezeFee", "minimumBillingCycles", "billingFrequency", "textColor", ARCHIVED, "ruleSetId",
            DISCOUNTS);

    /** The MembershipDiscount members Decoda documents, in its order, and the JSON type each must have. */
    enum MemberType { TEXT, BOOLEAN, NUMBER, WHOLE }

    static final Map<String, MemberType> DISCOUNT_MEMBERS = orderedMembers();

    private static Map<String, MemberType> orderedMembers() {
        var members = new LinkedHashMap<String, MemberType>();
        members.put("membershipId", MemberType.TEXT);
        members.put("id", MemberType.TEXT);
        members.put("itemId", MemberType.TEXT);
        members.put("itemCategory", MemberType.TEXT);
        members.put("isPhysical", MemberType.BOOLEAN);
        members.put("discountPercentage", MemberType.NUMBER);
        members.put("discountAmount", MemberType.WHOLE);
        members.put("creditAmount", MemberType.WHOLE);
        members.put("quantity", MemberType.WHOLE);
        members.put("rollover", MemberType.BOOLEAN);
        members.put("rolloverExpiryDays", MemberType.WHOLE);
        members.put("neverExpire", MemberType.BOOLEAN);
        members.put("group", MemberType.TEXT);
        members.put("isArchived", MemberType.BOOLEAN);
        return Collections.unmodifiableMap(members);
    }

    // Decoda publishes no numbers, sets its limits per tenant and announces them on every answer: follow them, and
    // pace at a conservative 10/s should the answers carry none.
    private static final VendorDescriptor DESCRIPTOR = new VendorDescriptor("decoda", KEY, FIELDS,
            new AccountSettings.Defaults(URI.create("https://api.decodahealth.com"),
                    new RatePolicy.Auto(Optional.empty(), RateLimit.parse("10/s")), 4, Duration.ofSeconds(10), 5, null),
            Set.of(), Set.of());

    private final JsonMapper json;

    DecodaDefinition(JsonMapper json) {
        this.json = json;
    }

    @Override
    public VendorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void checkSettings(AccountSettings settings) {
        settings.requireApiKey();
        settings.requireTenant();
    }

    /**
     * Name and price are required by Decoda, yet a blank cell is fine here: the PUT body is the membership as Decoda
     * has it plus the managed fields, so the client refuses only when neither provides them.
     */
    @Override
    public RowResult read(SourceRow row, ZoneId zone) {
        String key = row.value(KEY);
        try {
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            for (String field : FIELDS) {
                String value = row.value(field);
                if (value != null) {
                    fields.set(field, cell(field, value));
                }
            }
            return new RowResult.Desired(row.line(), key, fields);
        } catch (InvalidValue e) {
            return new RowResult.Rejection(row.line(), key, e.field(), e.reason());
        }
    }

    private static JsonNode cell(String field, String value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (field.equals(NAME) || TEXT.contains(field)) {
            return nodes.stringNode(value);
        }
        if (field.equals(PRICE) || CENTS.contains(field)) {
            return nodes.numberNode(Values.cents(field, value));
        }
        if (COUNTS.contains(field)) {
            return nodes.numberNode(Values.nonNegativeInteger(field, value));
        }
        if (ENUMS.contains(field)) {
            return nodes.stringNode(Values.oneOf(field, value, FREQUENCIES));
        }
        if (BOOLEANS.contains(field)) {
            return nodes.booleanNode(Values.bool(field, value));
        }
        if (field.equals(GLOBAL_DISCOUNT)) {
            BigDecimal percent = Values.decimal(field, value);
            if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new InvalidValue(field, "'" + value + "' is not a percentage between 0 and 100");
            }
            return number(percent);
        }
        if (field.equals(DISCOUNTS)) {
            return discounts(Values.jsonArray(field, value));
        }
        throw new IllegalArgumentException("unhandled Decoda field " + field);
    }

    /** A row's discounts, checked against the documented MembershipDiscount members and put in canonical form. */
    static ArrayNode discounts(JsonNode list) {
        ArrayNode canonical = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        for (JsonNode discount : list) {
            String where = DISCOUNTS + "[" + i++ + "]";
            if (!discount.isObject()) {
                throw new InvalidValue(DISCOUNTS, where + " must be an object, e.g. {\"itemId\": \"...\", \"discountPercentage\": 10}");
            }
            for (String member : discount.propertyNames()) {
                MemberType type = DISCOUNT_MEMBERS.get(member);
                if (type == null) {
                    throw new InvalidValue(DISCOUNTS, where + " has an unknown member '" + member + "'; Decoda documents "
                            + String.join(", ", DISCOUNT_MEMBERS.keySet()));
                }
                JsonNode value = discount.get(member);
                if (!value.isNull() && !fits(value, type)) {
                    throw new InvalidValue(DISCOUNTS, where + "." + member + " must be " + describe(type));
                }
            }
            canonical.add(canonicalDiscount(discount));
        }
        return canonical;
    }

    private static boolean fits(JsonNode value, MemberType type) {
        return switch (type) {
            case TEXT -> value.isString();
            case BOOLEAN -> value.isBoolean();
            case NUMBER -> value.isNumber();
            case WHOLE -> value.isNumber() && isWhole(value.decimalValue());
        };
    }

    private static String describe(MemberType type) {
        return switch (type) {
            case TEXT -> "a string";
            case BOOLEAN -> "true or false";
            case NUMBER -> "a number";
            case WHOLE -> "a whole number";
        };
    }

    /**
     * The canonical form of a membership as Decoda answers it: whole numbers as long nodes, other numbers as
     * doubles, discounts canonical. Anything unexpected is kept as it is, so the next PUT sends it back untouched.
     */
    static ObjectNode canonical(ObjectNode membership) {
        ObjectNode out = membership.deepCopy();
        for (String field : membership.propertyNames()) {
            JsonNode value = membership.get(field);
            if ((WHOLE_NUMBERS.contains(field) || field.equals(GLOBAL_DISCOUNT)) && value.isNumber()) {
                out.set(field, number(value.decimalValue()));
            } else if (field.equals(DISCOUNTS) && value.isArray()) {
                ArrayNode discounts = JsonNodeFactory.instance.arrayNode();
                for (JsonNode discount : value) {
                    discounts.add(discount.isObject() ? canonicalDiscount(discount) : discount);
                }
                out.set(field, discounts);
            }
        }
        return out;
    }

    /** Documented members first, in the documented order, numbers canonical; other members after, as they are. */
    private static ObjectNode canonicalDiscount(JsonNode discount) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String member : DISCOUNT_MEMBERS.keySet()) {
            JsonNode value = discount.get(member);
            if (value != null) {
                out.set(member, value.isNumber() ? number(value.decimalValue()) : value);
            }
        }
        for (String member : discount.propertyNames()) {
            if (!DISCOUNT_MEMBERS.containsKey(member)) {
                out.set(member, discount.get(member));
            }
        }
        return out;
    }

    /**
     * One spelling per numeric value: a whole number as a long, anything else as a double (which survives the
     * round trip through the state store's JSON text unchanged, unlike a BigDecimal such as 0.0001).
     */
    static JsonNode number(BigDecimal value) {
        if (isWhole(value)) {
            try {
                return JsonNodeFactory.instance.numberNode(value.longValueExact());
            } catch (ArithmeticException tooBig) {
                // falls through to a double
            }
        }
        return JsonNodeFactory.instance.numberNode(value.doubleValue());
    }

    private static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /**
     * Whether {@code have} says everything {@code want} says: Decoda adds ids and defaults to what it is sent
     * (discounts), so an answer or a read that carries more still holds the value. A missing value says nothing.
     */
    static boolean covers(JsonNode have, JsonNode want) {
        if (have == null) {
            return true;
        }
        if (want.isObject()) {
            if (!have.isObject()) {
                return false;
            }
            for (String member : want.propertyNames()) {
                JsonNode value = have.get(member);
                if (value == null || !covers(value, want.get(member))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (!have.isArray() || have.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!covers(have.get(i), want.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return want.toString().equals(have.toString());
    }

    /** The plan as Decoda holds it (read right before the PUT), archived and nothing else changed. */
    @Override
    public Optional<ObjectNode> deactivation(ObjectNode synced) {
        ObjectNode archived = JsonNodeFactory.instance.objectNode();
        archived.put(ARCHIVED, true);
        return Optional.of(archived);
    }

    @Override
    public boolean deactivates() {
        return true;
    }

    @Override
    public ObjectNode reactivation(ObjectNode desired) {
        ObjectNode active = desired.deepCopy();
        if (!active.has(ARCHIVED)) {
            active.put(ARCHIVED, false);
        }
        return active;
    }

    /** Decoda adds ids and defaults to discounts it stores: it holds a value when its own covers it. */
    @Override
    public boolean holds(String field, JsonNode synced, JsonNode live) {
        return live != null && covers(live, synced);
    }

    static boolean isField(String name) {
        return FIELDS.contains(name);
    }

    @Override
    public VendorClient client(AccountSettings settings, VendorChannel channel) {
        return new DecodaClient(settings, channel, json);
    }
}
