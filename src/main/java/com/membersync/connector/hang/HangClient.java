package com.membersync.connector.hang;

import com.membersync.channel.Exchange;
import com.membersync.channel.Expected;
import com.membersync.channel.VendorChannel;
import com.membersync.config.AccountSettings;
import com.membersync.connector.UrlPath;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.InvalidValue;
import com.membersync.connector.LiveRead;
import com.membersync.connector.PlannedChange;
import com.membersync.connector.Values;
import com.membersync.connector.VendorClient;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a PATCH with exactly the managed fields, and rebuilds the cached state from what was sent and what Hang
 * answered. Hang's answer leaves out names and birthday, calls a family member's birthday {@code birth_date} and
 * answers {@code last_name: ""} for none: all of that is mapped back so the next run sees no change.
 */
final class HangClient implements VendorClient {

    private final AccountSettings settings;
    private final VendorChannel channel;
    private final JsonMapper json;

    HangClient(AccountSettings settings, VendorChannel channel, JsonMapper json) {
        this.settings = settings;
        this.channel = channel;
        this.json = json;
    }

    /** Hang's error envelope, {@code {id, code, messages: [{title, message}]}}: a refusal, or "not found". */
    private static final Predicate<JsonNode> ERROR = body -> body.has("code") || body.path("messages").isArray();

    @Override
    public DeliveryOutcome deliver(PlannedChange change) throws InterruptedException {
        HttpRequest.Builder request = request(change.key())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(change.desired())));
        return DeliveryOutcome.of(channel.send(request, membership(change.key())),
                answered -> new DeliveryOutcome.Synced(answered.status(), stateAfter(change, answered.document())),
                this::refusal);
    }

    /** The PATCH's and the GET's documented answer: {@code {"membership": {...}}} naming the membership asked for. */
    private static Expected membership(String key) {
        return new Expected("{\"membership\": {\"id\": \"" + key + "\", ...}}", body -> body.path("membership").isObject()
                && key.equals(Values.text(body.get("membership"), "id")), ERROR);
    }

    /**
     * What was sent, then what Hang's answer holds; the fields it does not echo (names, birthday) are kept as sent,
     * which is all Hang documents of them.
     */
    private ObjectNode stateAfter(PlannedChange change, JsonNode answer) {
        ObjectNode state = change.cached() == null ? json.createObjectNode() : change.cached().deepCopy();
        state.setAll(change.desired());
        return readBack(answer.get("membership"), state);
    }

    /**
     * {@code GET /v2/program-memberships/{id}}: Hang's record in the envelope of the PATCH's answer. Names and
     * birthday are not in it (see {@link HangDefinition#unreadable()}).
     */
    @Override
    public LiveRead read(String key, ObjectNode synced) throws InterruptedException {
        return LiveRead.of(channel.send(request(key).GET(), membership(key)),
                answer -> readBack(answer.get("membership"), json.createObjectNode()));
    }

    /**
     * Copies what Hang's membership record holds into {@code state}, in the input's names and forms: the phone in
     * E.164 (as Hang may echo it formatted), the email lower-cased, family members with {@code birthday}.
     */
    private static ObjectNode readBack(JsonNode membership, ObjectNode state) {
        copyText(membership, state, HangDefinition.EXTERNAL_USER_ID);
        String phone = Values.text(membership, HangDefinition.PHONE);
        if (phone != null) {
            state.put(HangDefinition.PHONE, e164(phone));
        }
        String email = Values.text(membership, HangDefinition.EMAIL);
        if (email != null) {
            state.put(HangDefinition.EMAIL, email.toLowerCase(Locale.ROOT));
        }
        JsonNode family = membership.get(HangDefinition.FAMILY);
        if (family != null && family.isArray()) {
            try {
                state.set(HangDefinition.FAMILY, HangDefinition.family(family));
            } catch (InvalidValue unexpectedShape) {
                // Keep what we had: an odd echo must not fail the row.
            }
        }
        return state;
    }

    private static String e164(String phone) {
        try {
            return Values.phone(HangDefinition.PHONE, phone);
        } catch (InvalidValue notOneWeRead) {
            return phone;
        }
    }

    private HttpRequest.Builder request(String key) {
        return HttpRequest.newBuilder(settings.endpoint("/v2/program-memberships/" + UrlPath.segment(key)))
                .header("X-API-Key", settings.requireApiKey())
                .header("Accept", "application/json");
    }

    private static void copyText(JsonNode from, ObjectNode to, String field) {
        String value = Values.text(from, field);
        if (value != null) {
            to.put(field, value);
        }
    }

    /** Hang's error envelope: {@code {id, code, messages:[{title, message}]}}. */
    private DeliveryOutcome refusal(Exchange.Answered answered) {
        JsonNode error = answered.document();
        String code = Values.text(error, "code");
        if ("API_KEY_HEADER_IS_MISSING".equals(code)) {
            String reason = "Hang says the API key is missing: check member-sync.vendors.hang.api-key";
            channel.stop(reason);
            return new DeliveryOutcome.NotSent(reason);
        }
        StringBuilder message = new StringBuilder();
        String field = null;
        for (JsonNode m : error.path("messages")) {
            String title = Values.text(m, "title");
            String text = Values.text(m, "message");
            String titleField = title == null ? null : title.split("[\\[.]")[0];
            if (field == null && titleField != null && HangDefinition.isField(titleField)) {
                field = titleField;
            }
            if (!message.isEmpty()) {
                message.append("; ");
            }
            message.append(title == null ? "" : title + ": ").append(text == null ? "" : text);
        }
        if (message.isEmpty()) {
            message.append(answered.body() == null ? "" : answered.body().strip());
        }
        return new DeliveryOutcome.Refused(answered.status(), field,
                (code == null ? "" : code + ": ") + message);
    }
}
