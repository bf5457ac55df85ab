package com.membersync.connector.mayar;

import com.membersync.channel.Expected;
import com.membersync.channel.VendorChannel;
import com.membersync.config.AccountSettings;
import com.membersync.connector.UrlPath;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.InvalidValue;
import com.membersync.connector.LivePage;
import com.membersync.connector.LiveRead;
import com.membersync.connector.PlannedChange;
import com.membersync.connector.Values;
import com.membersync.connector.VendorClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends {@code productId} and the managed fields, and rebuilds the cached state from what was sent and Mayar's
 * {@code data.membershipCustomer}. The answer names two fields differently ({@code paymentLinkId} is the product,
 * {@code monthlyPaymentPeriod} the period) and writes times with milliseconds: both are mapped back to the input's
 * names and canonical form so the next run sees no change.
 */
final class MayarClient implements VendorClient {

    static final String NOT_AUTHORIZED_FOR_PRODUCT = "You are not authorized to edit this product!";
    /** Members per page of the list: the most Mayar documents. */
    private static final int PAGE = 50;
    private static final String KEY = MayarDefinition.KEY;
    /** Mayar's error envelopes: {@code {statusCode, message}} for writes, {@code {statusCode, messages}} for reads. */
    private static final Predicate<JsonNode> ERROR = body -> body.has("statusCode") || body.has("message")
            || body.has("messages");
    /** The cursor list's documented answer. */
    private static final Expected LIST = new Expected("{\"statusCode\": 200, \"hasMore\": ..., \"data\": [...]}",
            body -> success(body) && body.path("data").isArray(), ERROR);

    private final AccountSettings settings;
    private final VendorChannel channel;
    private final JsonMapper json;

    MayarClient(AccountSettings settings, VendorChannel channel, JsonMapper json) {
        this.settings = settings;
        this.channel = channel;
        this.json = json;
    }

    @Override
    public DeliveryOutcome deliver(PlannedChange change) throws InterruptedException {
        HttpRequest.Builder request = request("/hl/v2/memberships/members/" + UrlPath.segment(change.key()) + "/update")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(change.desired())));
        String key = change.key();
        return DeliveryOutcome.of(channel.send(request, new Expected("{\"statusCode\": 200, \"data\": {\"membershipCustomer\":"
                        + " {\"memberId\": \"" + key + "\", ...}}}", body -> success(body)
                        && key.equals(Values.text(body.path("data").path("membershipCustomer"), KEY)), ERROR)),
                answered -> new DeliveryOutcome.Synced(answered.status(),
                        stateAfter(change.cached(), change.desired(), answered.document(), json)),
                answered -> refusal(answered.status(), answered.document(), answered.body()));
    }

    /** {@code statusCode: 200}, as every documented answer of Mayar's carries beside the HTTP status. */
    private static boolean success(JsonNode body) {
        return body.path("statusCode").asInt(0) == 200;
    }

    /**
     * The member as we now know it: the previous state, what was sent, then what Mayar answered (it is the
     * authority on what it stored), renamed to the input's field names and normalised as {@link MayarDefinition}
     * normalises input.
     */
    static ObjectNode stateAfter(ObjectNode cached, ObjectNode sent, JsonNode answer, JsonMapper json) {
        ObjectNode state = cached == null ? json.createObjectNode() : cached.deepCopy();
        state.setAll(sent);
        JsonNode member = answer.path("data").path("membershipCustomer");
        return member.isObject() ? readBack(member, state) : state;
    }

    /** {@code GET /hl/v2/memberships/members/{memberId}?productId=}: the member's record under its product. */
    @Override
    public LiveRead read(String key, ObjectNode synced) throws InterruptedException {
        String path = "/hl/v2/memberships/members/" + UrlPath.segment(key) + "?productId="
                + query(synced.path(MayarDefinition.PRODUCT_ID).asString(""));
        Expected member = new Expected("{\"statusCode\": 200, \"data\": {\"memberId\": \"" + key + "\", ...}}",
                body -> success(body) && readMember(body, key) != null, ERROR);
        return LiveRead.of(channel.send(request(path).GET(), member),
                answer -> readBack(readMember(answer, key), json.createObjectNode()));
    }

    /**
     * The member in a read's answer, or null when it names another. Mayar does not document the read's envelope: the
     * list's members sit in {@code data} as they are, the update's in {@code data.membershipCustomer}; either is
     * Mayar's answer.
     */
    static JsonNode readMember(JsonNode answer, String key) {
        JsonNode data = answer.path("data");
        for (JsonNode candidate : List.of(data, data.path("membershipCustomer"))) {
            if (key.equals(Values.text(candidate, KEY))) {
                return candidate;
            }
        }
        return null;
    }

    /** Mayar lists a product's members: one list per product. */
    @Override
    public Optional<String> listScope(ObjectNode synced) {
        return Optional.ofNullable(Values.text(synced, MayarDefinition.PRODUCT_ID));
    }

    @Override
    public int pageSize() {
        return PAGE;
    }

    /** {@code GET /hl/v2/memberships/members?productId=&limit=&startingAfter=}, a cursor list. */
    @Override
    public LivePage page(String product, String cursor) throws InterruptedException {
        String path = "/hl/v2/memberships/members?productId=" + query(product) + "&limit=" + PAGE
                + (cursor == null ? "" : "&startingAfter=" + query(cursor));
        return LivePage.of(channel.send(request(path).GET(), LIST), page -> {
            Map<String, ObjectNode> members = new LinkedHashMap<>();
            for (JsonNode member : page.get("data")) {
                String memberId = Values.text(member, MayarDefinition.KEY);
                if (memberId != null) {
                    members.put(memberId, readBack(member, json.createObjectNode()));
                }
            }
            String next = page.path("hasMore").asBoolean(false) ? Values.text(page, "nextStartingAfter") : null;
            return new LivePage.Page(members, next);
        });
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(settings.endpoint(path))
                .header("Authorization", "Bearer " + settings.requireApiKey())
                .header("Accept", "application/json");
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Copies a membershipCustomer record into {@code state}, renamed to the input's names, values canonical. */
    private static ObjectNode readBack(JsonNode member, ObjectNode state) {
        copyText(member, "paymentLinkId", state, MayarDefinition.PRODUCT_ID);
        copyText(member, "membershipTierId", state, MayarDefinition.TIER_ID);
        JsonNode period = member.get("monthlyPaymentPeriod");
        if (period != null && period.isIntegralNumber()) {
            state.put(MayarDefinition.MONTHLY_PERIOD, period.longValue());
        }
        JsonNode status = member.get("status");
        if (status != null && status.isString() && !status.stringValue().isBlank()) {
            state.put(MayarDefinition.STATUS, status.stringValue().strip().toLowerCase(Locale.ROOT));
        }
        copyInstant(member, MayarDefinition.NEXT_PAYMENT, state);
        copyInstant(member, MayarDefinition.EXPIRED_AT, state);
        return state;
    }

    private static void copyText(JsonNode from, String answerName, ObjectNode to, String field) {
        JsonNode value = from.get(answerName);
        if (value != null && value.isString() && !value.stringValue().isBlank()) {
            to.put(field, value.stringValue().strip());
        }
    }

    private static void copyInstant(JsonNode from, String field, ObjectNode to) {
        JsonNode value = from.get(field);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            return;
        }
        try {
            to.put(field, MayarDefinition.instant(field, value.stringValue().strip(), ZoneOffset.UTC));
        } catch (InvalidValue unexpectedShape) {
            // Keep what we sent: the write was confirmed, and an odd echo must not fail the row.
        }
    }

    /**
     * Mayar's write errors: {@code {statusCode, message}}. The message is shown to the operator as Mayar wrote it,
     * with the field it concerns when the message tells.
     */
    static DeliveryOutcome.Refused refusal(int status, JsonNode error, String body) {
        String message = message(error.get("message"));
        if (message == null) {
            message = message(error.get("messages"));
        }
        if (message == null) {
            message = body == null || body.isBlank() ? "HTTP " + status + " without a message" : body.strip();
        }
        return new DeliveryOutcome.Refused(status, field(status, message), message);
    }

    private static String field(int status, String message) {
        if (message.equals(NOT_AUTHORIZED_FOR_PRODUCT) || message.toLowerCase(Locale.ROOT).contains("product")) {
            return MayarDefinition.PRODUCT_ID;
        }
        if (status == 404 || message.equals("Invalid path parameter")) {
            return MayarDefinition.KEY;
        }
        for (String field : MayarDefinition.FIELDS) {
            if (message.startsWith(field + " ") || message.startsWith(field + ":")) {
                return field;
            }
        }
        return null;
    }

    /** A message is a string; some validation layers answer a list of them. */
    private static String message(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode part : node) {
                if (!joined.isEmpty()) {
                    joined.append("; ");
                }
                joined.append(part.isString() ? part.stringValue() : part.toString());
            }
            return joined.isEmpty() ? null : joined.toString();
        }
        String text = node.isString() ? node.stringValue().strip() : node.toString();
        return text.isEmpty() ? null : text;
    }
}
