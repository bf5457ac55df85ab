package com.membersync.connector.hang;

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
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Hang loyalty: {@code PATCH /v2/program-memberships/{id}} with the fields a row manages. */
@Component
class HangDefinition implements VendorDefinition {

    static final String KEY = "program_membership_id";
    static final String EXTERNAL_USER_ID = "external_user_id";
    static final String PHONE = "phone";
    static final String EMAIL = "email";
    static final String FIRST_NAME = "first_name";
    static final String LAST_NAME = "last_name";
    static final String BIRTHDAY = "birthday";
    static final String FAMILY = "family_member_birthdays";
    static final Set<String> FAMILY_STATUSES = Set.of("active", "inactive");
    private static final List<String> FIELDS = List.of(EXTERNAL_USER_ID, PHONE, EMAIL, FIRST_NAME, LAST_NAME, BIRTHDAY,
            FAMILY);

    /** Hang documents no limits; 10/s is a conservative pace. Hang's answers leave out names and birthday. */
    private static final VendorDescriptor DESCRIPTOR = new VendorDescriptor("hang", KEY, FIELDS,
            new AccountSettings.Defaults(URI.create("https://loyalty.hang.xyz/partner-api"),
                    new RatePolicy.Fixed(RateLimit.parse("10/s")), 8, Duration.ofSeconds(10), 5, null),
            Set.of(PHONE, EMAIL, FIRST_NAME, LAST_NAME, BIRTHDAY, FAMILY), Set.of(FIRST_NAME, LAST_NAME, BIRTHDAY));

    private final JsonMapper json;

    HangDefinition(JsonMapper json) {
        this.json = json;
    }

    @Override
    public VendorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RowResult read(SourceRow row, ZoneId zone) {
        String key = row.value(KEY);
        try {
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            putIfPresent(fields, EXTERNAL_USER_ID, row.value(EXTERNAL_USER_ID));
            String phone = row.value(PHONE);
            if (phone != null) {
                fields.put(PHONE, Values.phone(PHONE, phone));
            }
            String email = row.value(EMAIL);
            if (email != null) {
                fields.put(EMAIL, Values.email(EMAIL, email));
            }
            putIfPresent(fields, FIRST_NAME, row.value(FIRST_NAME));
            putIfPresent(fields, LAST_NAME, row.value(LAST_NAME));
            String birthday = row.value(BIRTHDAY);
            if (birthday != null) {
                fields.put(BIRTHDAY, Values.date(BIRTHDAY, birthday));
            }
            String family = row.value(FAMILY);
            if (family != null) {
                fields.set(FAMILY, family(Values.jsonArray(FAMILY, family)));
            }
            return new RowResult.Desired(row.line(), key, fields);
        } catch (InvalidValue e) {
            return new RowResult.Rejection(row.line(), key, e.field(), e.reason());
        }
    }

    /**
     * The family list in one canonical shape, used for what we send and for what Hang answers alike: members in
     * the given order, {@code last_name} left out when blank (Hang answers {@code ""} for "none").
     */
    static ArrayNode family(JsonNode members) {
        ArrayNode canonical = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        for (JsonNode member : members) {
            String where = FAMILY + "[" + i++ + "]";
            if (!member.isObject()) {
                throw new InvalidValue(FAMILY, where + " must be an object with first_name, birthday and status");
            }
            String firstName = Values.text(member, FIRST_NAME);
            if (firstName == null) {
                throw new InvalidValue(FAMILY, where + ".first_name is required");
            }
            String birthday = Values.text(member, BIRTHDAY);
            if (birthday == null) {
                birthday = Values.text(member, "birth_date");
            }
            if (birthday == null) {
                throw new InvalidValue(FAMILY, where + ".birthday is required");
            }
            String status = Values.text(member, "status");
            if (status == null) {
                throw new InvalidValue(FAMILY, where + ".status is required (active or inactive)");
            }
            ObjectNode out = canonical.addObject();
            out.put(FIRST_NAME, firstName);
            String lastName = Values.text(member, LAST_NAME);
            if (lastName != null) {
                out.put(LAST_NAME, lastName);
            }
            out.put(BIRTHDAY, Values.date(FAMILY, birthday));
            out.put("status", Values.oneOf(FAMILY, status, FAMILY_STATUSES));
        }
        return canonical;
    }

    static boolean isField(String name) {
        return FIELDS.contains(name);
    }

    private static void putIfPresent(ObjectNode fields, String field, String value) {
        if (value != null) {
            fields.put(field, value);
        }
    }

    @Override
    public VendorClient client(AccountSettings settings, VendorChannel channel) {
        return new HangClient(settings, channel, json);
    }
}
