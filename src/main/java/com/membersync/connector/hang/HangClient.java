package com.membersync.connector.hang;

import com.membersync.channel.Exchange;
import com.membersync.channel.VendorChannel;
import com.membersync.config.VendorSettings;
import com.membersync.connector.Answers;
import com.membersync.connector.DeliveryOutcome;
import com.membersync.connector.InvalidValue;
import com.membersync.connector.LiveRead;
import com.membersync.connector.PlannedChange;
import com.membersync.connector.Values;
import com.membersync.connector.VendorClient;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a PATCH with exactly the managed fields, and rebuilds the cached state from what was sent and what Hang
 * answered. Hang's answer leaves out names and birthday, calls a family member's birthday {@code birth_date} and
 * answers {@code last_name: ""} for none: all of that is mapped back so the next run sees no change.
 */
final class HangClient implements VendorClient {

    private final VendorSettings settings;
    private final VendorChannel channel;
    private final JsonMapper json;

    HangClient(VendorSettings settings, VendorChannel channel, JsonMapper json) {
        this.settings = settings;
        this.channel = channel;
        this.json = json;
    }

    @Override
    public DeliveryOutcome deliver(PlannedChange change) throws InterruptedException {
        HttpRequest.Builder request = request(change.key())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(change.desired())));
        return switch (channel.send(request)) {
            case Exchange.Stopped stopped -> new DeliveryOutcome.NotSent(stopped.reason());
            case Exchange.GaveUp gaveUp -> new DeliveryOutcome.Failed(gaveUp.status(), gaveUp.answer());
            case Exchange.Answered answered when answered.ok() -> new DeliveryOutcome.Synced(answered.status(),
                    stateAfter(change, answered.body()));
            case Exchange.Answered answered -> refusal(answered);
        };
    }

    private ObjectNode stateAfter(PlannedChange change, String body) {
        ObjectNode state = change.cached() == null ? json.createObjectNode() : change.cached().deepCopy();
        state.setAll(change.desired());
        JsonNode membership = Answers.parse(json, body).path("membership");
        if (membership.isObject()) {
            readBack(membership, state);
        }
        return state;
    }

    /**
     * {@code GET /v2/program-memberships/{id}}: Hang's record in the envelope of the PATCH's answer. Names and
     * birthday are not in it (see {@link HangDefinition#unreadable()}).
     */
    @Override
    public LiveRead read(String key, ObjectNode synced) throws InterruptedException {
        return LiveRead.of(channel.send(request(key).GET()), body -> {
            JsonNode membership = Answers.parse(json, body).path("membership");
            return membership.isObject() ? Optional.of(readBack(membership, json.createObjectNode())) : Optional.empty();
        });
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
        return HttpRequest.newBuilder(settings.endpoint("/v2/program-memberships/" + Answers.pathSegment(key)))
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
        JsonNode error = Answers.parse(json, answered.body());
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
