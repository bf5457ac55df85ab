package com.membersync.connector.mayar;

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
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mayar memberships: {@code POST /hl/v2/memberships/members/{memberId}/update} with {@code productId} and the
 * fields a row manages. Times are sent as UTC ISO-8601 ending in Z, never as epoch milliseconds.
 */
@Component
class MayarDefinition implements VendorDefinition {

    static final String KEY = "memberId";
    static final String PRODUCT_ID = "productId";
    static final String TIER_ID = "membershipTierId";
    static final String MONTHLY_PERIOD = "membershipMonthlyPeriod";
    static final String STATUS = "status";
    static final String NEXT_PAYMENT = "nextPayment";
    static final String EXPIRED_AT = "expiredAt";
    static final String ACTIVE = "active";
    static final String INACTIVE = "inactive";
    static final Set<String> STATUSES = Set.of(ACTIVE, "stopped", INACTIVE, "finished");
    static final List<String> FIELDS = List.of(PRODUCT_ID, TIER_ID, MONTHLY_PERIOD, STATUS, NEXT_PAYMENT, EXPIRED_AT);

    // 20/min is Mayar's documented per-IP limit (one copy of the docs says 50/min per key: the lower one is safe). Per
    // IP: every Mayar account draws on one budget, the group "mayar", unless told otherwise.
    private static final VendorDescriptor DESCRIPTOR = new VendorDescriptor("mayar", KEY, FIELDS,
            new AccountSettings.Defaults(URI.create("https://api.mayar.id"), new RatePolicy.Fixed(RateLimit.parse("20/min")),
                    2, Duration.ofSeconds(10), 5, "mayar"),
            Set.of(), Set.of());

    private final JsonMapper json;

    MayarDefinition(JsonMapper json) {
        this.json = json;
    }

    @Override
    public VendorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** The member's product, and status inactive. */
    @Override
    public Optional<ObjectNode> deactivation(ObjectNode synced) {
        ObjectNode inactive = JsonNodeFactory.instance.objectNode();
        inactive.set(PRODUCT_ID, synced.get(PRODUCT_ID));
        inactive.put(STATUS, INACTIVE);
        return Optional.of(inactive);
    }

    @Override
    public boolean deactivates() {
        return true;
    }

    @Override
    public ObjectNode reactivation(ObjectNode desired) {
        ObjectNode active = desired.deepCopy();
        if (!active.has(STATUS)) {
            active.put(STATUS, ACTIVE);
        }
        return active;
    }

    /** An update names the member's product whatever else it sends. */
    @Override
    public ObjectNode repair(ObjectNode synced, Collection<String> fields) {
        ObjectNode repair = JsonNodeFactory.instance.objectNode();
        repair.set(PRODUCT_ID, synced.get(PRODUCT_ID));
        fields.forEach(field -> repair.set(field, synced.get(field)));
        return repair;
    }

    @Override
    public RowResult read(SourceRow row, ZoneId zone) {
        String key = row.value(KEY);
        try {
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            String product = row.value(PRODUCT_ID);
            if (product == null) {
                throw new InvalidValue(PRODUCT_ID, "productId is required: Mayar identifies the member's product by it");
            }
            fields.put(PRODUCT_ID, product);
            String tier = row.value(TIER_ID);
            if (tier != null) {
                fields.put(TIER_ID, tier);
            }
            String period = row.value(MONTHLY_PERIOD);
            if (period != null) {
                fields.put(MONTHLY_PERIOD, Values.positiveInteger(MONTHLY_PERIOD, period));
            }
            String status = row.value(STATUS);
            if (status != null) {
                fields.put(STATUS, Values.oneOf(STATUS, status, STATUSES));
            }
            String next = row.value(NEXT_PAYMENT);
            if (next != null) {
                fields.put(NEXT_PAYMENT, instant(NEXT_PAYMENT, next, zone));
            }
            String expired = row.value(EXPIRED_AT);
            if (expired != null) {
                fields.put(EXPIRED_AT, instant(EXPIRED_AT, expired, zone));
            }
            return new RowResult.Desired(row.line(), key, fields);
        } catch (InvalidValue e) {
            return new RowResult.Rejection(row.line(), key, e.field(), e.reason());
        }
    }

    /**
     * UTC ISO-8601 ending in Z, in one canonical text per instant so that our value and Mayar's echo
     * ({@code 2026-08-20T09:10:57.994Z}) compare equal. Mayar keeps milliseconds, so finer digits are dropped
     * here rather than being "changed" on every run.
     */
    static String instant(String field, String value, ZoneId zone) {
        return Instant.parse(Values.instant(field, value, zone)).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Override
    public VendorClient client(AccountSettings settings, VendorChannel channel) {
        return new MayarClient(settings, channel, json);
    }
}
