package com.membersync.connector.decoda;

import com.membersync.channel.Exchange;
import com.membersync.channel.Expected;
import com.membersync.channel.VendorChannel;
import com.membersync.config.AccountSettings;
import com.membersync.connector.UrlPath;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.LivePage;
import com.membersync.connector.LiveRead;
import com.membersync.connector.PlannedChange;
import com.membersync.connector.Values;
import com.membersync.connector.VendorClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decoda's PUT replaces the whole membership, and a field it leaves out is reset to the schema's default. So the
 * body is always the membership as Decoda holds it at that moment, read with a {@code GET} right before the PUT,
 * with the managed fields applied: nothing the feed does not manage is ever reset, including fields changed in
 * Decoda's dashboard since the last sync and fields the seed page does not list. Never the cached copy, which is
 * only what member-sync last confirmed. The cached state afterwards is Decoda's answer in canonical form.
 *
 * <p>Nothing is kept between the GET and the PUT: a delivery interrupted between them (a crash, a stop) is still
 * pending, and sent again from a fresh GET when the run resumes. Decoda has no conditional PUT, so an edit made in
 * Decoda's dashboard in the moment between our GET and our PUT is lost to it.
 */
final class DecodaClient implements VendorClient {

    private static final String PATH = "/inventory/memberships/";
    /** Plans per page of the list; Decoda documents no maximum, so it stays at 100 as its notes advise. */
    private static final int PAGE = 100;
    /** Decoda's error envelope: {@code {"detail": "..."}}, or FastAPI's validation list under {@code detail}. */
    private static final Predicate<JsonNode> ERROR = body -> body.has("detail");
    /** The list's documented answer: {@code {"data": [membership, ...], "total": N}}. */
    private static final Expected LIST = new Expected("{\"data\": [membership, ...], \"total\": N}",
            body -> body.path("data").isArray() && body.path("total").isNumber(), ERROR);

    private final AccountSettings settings;
    private final VendorChannel channel;
    private final JsonMapper json;

    DecodaClient(AccountSettings settings, VendorChannel channel, JsonMapper json) {
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
        switch (fetch(change.key())) {
            case Current.Ended ended -> {
                return ended.outcome();
            }
            case Current.Found found -> current = DecodaDefinition.canonical(found.membership());
        }
        List<String> drifted = drifted(change.desired(), change.cached(), current);
        ObjectNode body = current.deepCopy();
        body.setAll(change.desired());
        DeliveryOutcome missing = missingRequired(body);
        if (missing != null) {
            return missing;
        }
        HttpRequest.Builder request = membershipRequest(change.key())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return DeliveryOutcome.of(channel.send(request, membership(change.key())),
                answered -> new DeliveryOutcome.Synced(answered.status(),
                        stateAfter(change.desired(), body, answered.document()), drifted),
                this::refusal);
    }

    /** The GET's and the PUT's documented answer: the membership object, with the id asked for. */
    private static Expected membership(String key) {
        return new Expected("a membership object with \"id\": \"" + key + "\"",
                body -> body.isObject() && key.equals(Values.text(body, "id")), ERROR);
    }

    /**
     * The managed fields whose value at Decoda is not what member-sync last synced (someone changed them in Decoda's
     * dashboard). None without a cached state: a first sync or a full resync has nothing to compare with.
     */
    static List<String> drifted(ObjectNode desired, ObjectNode cached, ObjectNode current) {
        if (cached == null) {
            return List.of();
        }
        List<String> drifted = new ArrayList<>();
        for (String field : desired.propertyNames()) {
            JsonNode synced = cached.get(field);
            if (synced != null && !synced.isNull() && !DecodaDefinition.covers(current.get(field), synced)) {
                drifted.add(field);
            }
        }
        return drifted;
    }

    /**
     * The plan as Decoda holds it. Without it a PUT would reset every unmanaged field, so only Decoda's documented
     * answer, naming this plan, lets the PUT go ahead.
     */
    private Current fetch(String key) throws InterruptedException {
        return switch (channel.send(membershipRequest(key).GET(), membership(key))) {
            case Exchange.Stopped stopped -> new Current.Ended(new DeliveryOutcome.NotSent(stopped.reason()));
            case Exchange.GaveUp gaveUp -> new Current.Ended(new DeliveryOutcome.Failed(gaveUp.status(),
                    "reading the current membership before the PUT (nothing was sent): " + gaveUp.answer()));
            case Exchange.Answered answered when answered.ok() -> new Current.Found((ObjectNode) answered.document());
            case Exchange.Answered answered -> {
                // Without the current membership a PUT would reset every unmanaged field, so nothing is sent.
                DeliveryOutcome.Refused refused = refusal(answered);
                yield new Current.Ended(new DeliveryOutcome.Refused(refused.status(), refused.field(),
                        "reading the current membership before the PUT: " + refused.message()));
            }
        };
    }

    /** {@code GET /inventory/memberships/{id}}: the plan, in canonical form. */
    @Override
    public LiveRead read(String key, ObjectNode synced) throws InterruptedException {
        return LiveRead.of(channel.send(membershipRequest(key).GET(), membership(key)),
                answer -> DecodaDefinition.canonical((ObjectNode) answer));
    }

    /** Decoda lists every plan of the tenant: one list. */
    @Override
    public Optional<String> listScope(ObjectNode synced) {
        return Optional.of("");
    }

    @Override
    public int pageSize() {
        return PAGE;
    }

    /** {@code GET /inventory/memberships?page=&per_page=}: {@code {"data": [...], "total": N}}, pages from 1. */
    @Override
    public LivePage page(String scope, String cursor) throws InterruptedException {
        int page = cursor == null ? 1 : Integer.parseInt(cursor);
        HttpRequest.Builder request = request("/inventory/memberships?page=" + page + "&per_page=" + PAGE);
        return LivePage.of(channel.send(request.GET(), LIST), list -> {
            Map<String, ObjectNode> plans = new LinkedHashMap<>();
            for (JsonNode plan : list.get("data")) {
                String id = Values.text(plan, "id");
                if (id != null && plan instanceof ObjectNode object) {
                    plans.put(id, DecodaDefinition.canonical(object));
                }
            }
            boolean more = !plans.isEmpty() && (long) page * PAGE < list.path("total").asLong(0);
            return new LivePage.Page(plans, more ? Integer.toString(page + 1) : null);
        });
    }

    private HttpRequest.Builder membershipRequest(String key) {
        return request(PATH + UrlPath.segment(key));
    }

    /** A request to {@code path} with the tenant's credentials. */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(settings.endpoint(path))
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
            if (DecodaDefinition.covers(state.get(field), want)) {
                state.set(field, want);
            }
        }
        return state;
    }

    /** {@code {"detail": "..."}}, or for validation FastAPI's {@code {"detail": [{"loc", "msg", "type"}]}}. */
    private DeliveryOutcome.Refused refusal(Exchange.Answered answered) {
        JsonNode detail = answered.document().path("detail");
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
            String text = Values.text(answered.document(), "detail");
            if (text != null) {
                message.append(text);
            }
        }
        if (message.isEmpty()) {
            message.append(Exchange.abbreviate(answered.body()));
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
}
