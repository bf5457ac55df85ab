package com.membersync.connector.decoda;

import com.membersync.channel.Exchange;
import com.membersync.channel.VendorChannel;
import com.membersync.config.VendorSettings;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.PlannedChange;
import com.membersync.connector.Values;
import com.membersync.connector.VendorClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decoda's PUT replaces the whole membership, and a field it leaves out is reset to the schema's default. So the
 * body is always the membership as Decoda has it (the cached state, or a {@code GET} of it when there is none) with
 * the managed fields applied: nothing the feed does not manage is ever reset. The cached state afterwards is
 * Decoda's answer in canonical form.
 */
final class DecodaClient implements VendorClient {

    private static final String PATH = "/inventory/memberships/";

    private final VendorSettings settings;
    private final VendorChannel channel;
    private final JsonMapper json;

    DecodaClient(VendorSettings settings, VendorChannel channel, JsonMapper json) {
        this.settings = settings;
        this.channel = channel;
        this.json = json;
    }

    /** The membership as Decoda has it, or why the change cannot go ahead. */
    private sealed interface Current {
        record Found(ObjectNode membership) implements Current {}

        record Ended(DeliveryOutcome outcome) implements Current {}
    }

    @Override
    public DeliveryOutcome deliver(PlannedChange change) throws InterruptedException {
        ObjectNode current;
        if (change.cached() != null) {
            current = change.cached();
        } else {
            switch (fetch(change.key())) {
                case Current.Ended ended -> {
                    return ended.outcome();
                }
                case Current.Found found -> current = found.membership();
            }
        }
        ObjectNode body = DecodaDefinition.canonical(current);
        body.setAll(change.desired());
        DeliveryOutcome missing = missingRequired(body);
        if (missing != null) {
            return missing;
        }
        HttpRequest.Builder request = request(change.key())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return switch (channel.send(request)) {
            case Exchange.Stopped stopped -> new DeliveryOutcome.NotSent(stopped.reason());
            case Exchange.GaveUp gaveUp -> new DeliveryOutcome.Failed(gaveUp.status(), gaveUp.answer());
            case Exchange.Answered answered when answered.ok() -> new DeliveryOutcome.Synced(answered.status(),
                    stateAfter(change.desired(), body, parse(answered.body())));
            case Exchange.Answered answered -> refusal(answered);
        };
    }

    private Current fetch(String key) throws InterruptedException {
        return switch (channel.send(request(key).GET())) {
            case Exchange.Stopped stopped -> new Current.Ended(new DeliveryOutcome.NotSent(stopped.reason()));
            case Exchange.GaveUp gaveUp -> new Current.Ended(new DeliveryOutcome.Failed(gaveUp.status(), gaveUp.answer()));
            case Exchange.Answered answered when answered.ok() && parse(answered.body()) instanceof ObjectNode found ->
                    new Current.Found(found);
            case Exchange.Answered answered when answered.ok() -> new Current.Ended(new DeliveryOutcome.Failed(
                    answered.status(), "GET " + PATH + "{id} did not answer a membership object: "
                            + abbreviate(answered.body())));
            case Exchange.Answered answered -> {
                // Without the current membership a PUT would reset every unmanaged field, so nothing is sent.
                DeliveryOutcome.Refused refused = refusal(answered);
                yield new Current.Ended(new DeliveryOutcome.Refused(refused.status(), refused.field(),
                        "reading the current membership before the PUT: " + refused.message()));
            }
        };
    }

    private HttpRequest.Builder request(String key) {
        return HttpRequest.newBuilder(settings.endpoint(PATH + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")))
                .header("API-KEY", settings.requireApiKey())
                .header("TENANT", settings.requireTenant())
                .header("Accept", "application/json");
    }

    /** Decoda would answer 422; saying so before sending names the cause in the operator's terms. */
    private static DeliveryOutcome missingRequired(ObjectNode body) {
        JsonNode name = body.get(DecodaDefinition.NAME);
        if (name == null || !name.isString() || name.stringValue().isBlank()) {
            return new DeliveryOutcome.Refused(422, DecodaDefinition.NAME, "not sent: Decoda requires a name, and"
                    + " neither this row nor the membership at Decoda has one");
        }
        JsonNode price = body.get(DecodaDefinition.PRICE);
        if (price == null || !price.isIntegralNumber()) {
            return new DeliveryOutcome.Refused(422, DecodaDefinition.PRICE, "not sent: Decoda requires a price"
                    + " (integer cents), and neither this row nor the membership at Decoda has one");
        }
        return null;
    }

    /**
     * Decoda's answer in canonical form, falling back to what was sent for anything it leaves out. A managed field
     * whose answer agrees with everything the row said (Decoda adds ids and defaults to discounts) is kept as the
     * row said it, so the next run sees no change; one that disagrees keeps Decoda's value, and is sent again.
     */
    static ObjectNode stateAfter(ObjectNode desired, ObjectNode sent, JsonNode answer) {
        ObjectNode state = sent.deepCopy();
        if (answer instanceof ObjectNode membership) {
            state.setAll(DecodaDefinition.canonical(membership));
        }
        for (String field : desired.propertyNames()) {
            JsonNode want = desired.get(field);
            if (covers(state.get(field), want)) {
                state.set(field, want);
            }
        }
        return state;
    }

    private static boolean covers(JsonNode have, JsonNode want) {
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

    /** {@code {"detail": "..."}}, or for validation FastAPI's {@code {"detail": [{"loc", "msg", "type"}]}}. */
    private DeliveryOutcome.Refused refusal(Exchange.Answered answered) {
        JsonNode detail = parse(answered.body()).path("detail");
        String field = null;
        StringBuilder message = new StringBuilder();
        if (detail.isArray()) {
            for (JsonNode problem : detail) {
                String where = location(problem.path("loc"));
                if (field == null) {
                    field = fieldOf(problem.path("loc"));
                }
                if (!message.isEmpty()) {
                    message.append("; ");
                }
                String msg = Values.text(problem, "msg");
                message.append(where.isEmpty() ? "" : where + ": ").append(msg == null ? problem.toString() : msg);
            }
        } else {
            String text = Values.text(parse(answered.body()), "detail");
            if (text != null) {
                message.append(text);
            }
        }
        if (message.isEmpty()) {
            message.append(abbreviate(answered.body()));
        }
        return new DeliveryOutcome.Refused(answered.status(), field, message.toString());
    }

    /** The last element of {@code loc} that names one of our input columns, e.g. discounts in body.discounts.0.quantity. */
    private static String fieldOf(JsonNode loc) {
        String field = null;
        for (JsonNode part : loc) {
            if (part.isString() && DecodaDefinition.isField(part.stringValue())) {
                field = part.stringValue();
            }
        }
        return field;
    }

    /** {@code ["body", "discounts", 0, "quantity"]} as {@code discounts[0].quantity}. */
    private static String location(JsonNode loc) {
        StringBuilder where = new StringBuilder();
        int i = 0;
        for (JsonNode part : loc) {
            if (i++ == 0 && part.isString() && part.stringValue().equals("body")) {
                continue;
            }
            if (part.isNumber()) {
                where.append('[').append(part.asString()).append(']');
            } else {
                where.append(where.isEmpty() ? "" : ".").append(part.asString());
            }
        }
        return where.toString();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
