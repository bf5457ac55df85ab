package com.membersync.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mayar's membership API as documented: {@code POST /hl/v2/memberships/members/{memberId}/update},
 * {@code GET /hl/v2/memberships/members/{memberId}?productId=...} and the cursor list
 * {@code GET /hl/v2/memberships/members?productId=&limit=&startingAfter=}, {@code Authorization: Bearer <key>}, write
 * answers and errors as {@code {statusCode, message}}, read answers and errors as {@code {statusCode, messages}},
 * and times as UTC ISO-8601 with milliseconds ({@code 2026-08-20T09:10:57.994Z}). Epoch milliseconds and times
 * with an offset other than Z are refused with {@code 400 "Invalid request body"}.
 *
 * <p>Choices the docs leave open, made for rehearsals:
 * <ul>
 *   <li>The sandbox account owns every product except those whose id starts with {@code foreign-}; updating a
 *       member of such a product answers {@code 400 "You are not authorized to edit this product!"}.</li>
 *   <li>An update of an unknown member creates it while {@link #autoCreate} is on (the default), so rehearsals
 *       need no seeding; turned off, Mayar's {@code 404 "Member dengan ID {memberId} tidak ditemukan."} is
 *       answered. A member that exists under another product is not found either.</li>
 *   <li>The list answers the members of {@code productId} ordered by memberId, those after {@code startingAfter}
 *       (exclusive; a memberId the product no longer has still marks a place in that order), {@code limit}
 *       {@value #DEFAULT_LIMIT} unless given and at most {@value #MAX_LIMIT}; {@code nextStartingAfter} is the
 *       page's last memberId while {@code hasMore}, else null. No productId, or a limit outside 1 to
 *       {@value #MAX_LIMIT}, answers {@code 400 "Invalid query parameter"}.</li>
 *   <li>The documented 20 requests per minute are not enforced unless switched on with
 *       {@code behaviour().rateLimit(20, Duration.ofMinutes(1))}.</li>
 * </ul>
 *
 * <p>Several accounts share the {@code /mayar} prefix, told apart by their key: account N has
 * {@code mayar-sandbox-key-N}. Mayar limits requests per IP, so all accounts share one rate window.
 */
public final class MayarSandbox extends VendorSandbox {

    public static final String DEFAULT_API_KEY = "mayar-sandbox-key";
    /** The user id of the sandbox account that owns the products. */
    public static final String ACCOUNT_USER_ID = "348e083d-315a-4e5c-96b1-5a2a98c48413";
    private static final String FOREIGN_PRODUCT_PREFIX = "foreign-";
    private static final Set<String> STATUSES = Set.of("active", "stopped", "inactive", "finished");
    private static final Pattern UPDATE = Pattern.compile("^/hl/v2/memberships/members/([^/]*)/update/?$");
    private static final Pattern MEMBER = Pattern.compile("^/hl/v2/memberships/members/([^/]*)/?$");
    private static final Pattern MEMBERS = Pattern.compile("^/hl/v2/memberships/members/?$");
    /** The list's page size when no limit is given: not documented, so a small one. */
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    private static final Pattern MEMBER_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Map<String, ObjectNode> members = new ConcurrentHashMap<>();
    private volatile String apiKey = DEFAULT_API_KEY;
    private volatile boolean autoCreate = true;

    MayarSandbox(Clock clock, RandomGenerator random) {
        super("mayar", clock, random);
    }

    private MayarSandbox(MayarSandbox main, String account) {
        super(main, account, main.window());
        this.apiKey = DEFAULT_API_KEY + "-" + account;
    }

    @Override
    MayarSandbox newAccount(String account) {
        return new MayarSandbox(this, account);
    }

    @Override
    boolean carries(SandboxRequest request) {
        String authorization = request.header("Authorization");
        return authorization != null && authorization.strip().equals("Bearer " + apiKey);
    }

    @Override
    String accountNamedBy(SandboxRequest request) {
        String authorization = request.header("Authorization");
        return after("Bearer " + DEFAULT_API_KEY + "-", authorization == null ? null : authorization.strip());
    }

    public MayarSandbox apiKey(String key) {
        this.apiKey = key;
        return this;
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("api-key", apiKey);
    }

    public MayarSandbox autoCreate(boolean on) {
        this.autoCreate = on;
        return this;
    }

    /**
     * Creates or replaces a member as Mayar stores it (the answer's {@code membershipCustomer} shape); missing
     * ids and timestamps are filled in. Returns the stored member.
     */
    public ObjectNode seed(String memberId, String productId, ObjectNode fields) {
        ObjectNode member = newMember(memberId, productId);
        if (fields != null) {
            member.setAll(fields.deepCopy());
        }
        member.put("memberId", memberId);
        members.put(memberId, member);
        return member.deepCopy();
    }

    public ObjectNode seed(String memberId, String productId) {
        return seed(memberId, productId, null);
    }

    /** The member as the sandbox stores it, which is what both endpoints answer. */
    public Optional<ObjectNode> member(String memberId) {
        return Optional.ofNullable(members.get(memberId)).map(ObjectNode::deepCopy);
    }

    public Map<String, ObjectNode> members() {
        return Map.copyOf(members);
    }

    @Override
    Optional<ObjectNode> record(String id) {
        return member(id);
    }

    @Override
    String collection() {
        return "members";
    }

    /**
     * A change made in Mayar's own dashboard: top-level fields of {@code changes} replace the stored ones as given
     * (no validation; null is stored as null), the memberId stays, and {@code updatedAt} becomes now unless
     * {@code changes} sets it. Returns the member after the edit; empty for an unknown member.
     */
    @Override
    public Optional<ObjectNode> edit(String memberId, ObjectNode changes) {
        ObjectNode edited = members.computeIfPresent(memberId, (key, stored) -> {
            ObjectNode copy = stored.deepCopy();
            copy.put("updatedAt", format(clock.instant()));
            copy.setAll(changes.deepCopy());
            copy.put("memberId", key);
            return copy;
        });
        return Optional.ofNullable(edited).map(ObjectNode::deepCopy);
    }

    @Override
    protected SandboxResponse serve(SandboxRequest request) {
        boolean write = request.method().equals("POST");
        if (!carries(request)) {
            return write ? error(401, "Unauthorized") : readError(401, "Unauthorized");
        }
        Matcher update = UPDATE.matcher(request.path());
        if (update.matches()) {
            return write ? update(decode(update.group(1)), request.body())
                    : error(404, "Cannot " + request.method() + " " + request.path());
        }
        if (MEMBERS.matcher(request.path()).matches() && request.method().equals("GET")) {
            return list(request);
        }
        Matcher member = MEMBER.matcher(request.path());
        if (member.matches() && request.method().equals("GET")) {
            return read(decode(member.group(1)), nonBlank(request.parameter("productId")));
        }
        return error(404, "Cannot " + request.method() + " " + request.path());
    }

    private SandboxResponse update(String memberId, String body) {
        if (!MEMBER_ID.matcher(memberId).matches()) {
            return error(400, "Invalid path parameter");
        }
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JacksonException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return invalidBody();
        }
        JsonNode productId = request.get("productId");
        if (productId == null || !productId.isString() || productId.stringValue().isBlank()) {
            return invalidBody();
        }
        ObjectNode changes = json.createObjectNode();
        JsonNode tier = request.get("membershipTierId");
        if (tier != null) {
            if (!tier.isString() || tier.stringValue().isBlank()) {
                return invalidBody();
            }
            changes.put("membershipTierId", tier.stringValue());
        }
        JsonNode period = request.get("membershipMonthlyPeriod");
        if (period != null) {
            if (!period.isIntegralNumber() || period.longValue() <= 0 || period.longValue() > Integer.MAX_VALUE) {
                return invalidBody();
            }
            changes.put("monthlyPaymentPeriod", period.intValue());
        }
        JsonNode status = request.get("status");
        if (status != null) {
            if (!status.isString() || !STATUSES.contains(status.stringValue())) {
                return invalidBody();
            }
            changes.put("status", status.stringValue());
        }
        for (String field : new String[] {"nextPayment", "expiredAt"}) {
            JsonNode value = request.get(field);
            if (value != null) {
                Instant instant = utcInstant(value);
                if (instant == null) {
                    return invalidBody();
                }
                changes.put(field, format(instant));
            }
        }
        String product = productId.stringValue();
        if (product.startsWith(FOREIGN_PRODUCT_PREFIX)) {
            return error(400, "You are not authorized to edit this product!");
        }
        ObjectNode stored = members.get(memberId);
        if (stored != null && !product.equals(stored.path("paymentLinkId").asString())) {
            return error(404, notFound(memberId));
        }
        if (stored == null) {
            if (!autoCreate) {
                return error(404, notFound(memberId));
            }
            stored = newMember(memberId, product);
        }
        ObjectNode updated = stored.deepCopy();
        updated.setAll(changes);
        updated.put("updatedAt", format(clock.instant()));
        members.put(memberId, updated);
        return SandboxResponse.json(200, json.writeValueAsString(updateAnswer(updated.deepCopy())));
    }

    private SandboxResponse read(String memberId, String productId) {
        if (!MEMBER_ID.matcher(memberId).matches()) {
            return readError(400, "Invalid path parameter");
        }
        ObjectNode stored = members.get(memberId);
        if (stored == null || (productId != null && !productId.equals(stored.path("paymentLinkId").asString()))) {
            return readError(404, notFound(memberId));
        }
        return SandboxResponse.json(200, json.writeValueAsString(readAnswer(stored.deepCopy())));
    }

    private SandboxResponse list(SandboxRequest request) {
        String productId = nonBlank(request.parameter("productId"));
        String startingAfter = nonBlank(request.parameter("startingAfter"));
        Integer limit = limit(request.parameter("limit"));
        if (productId == null || limit == null) {
            return readError(400, "Invalid query parameter");
        }
        List<ObjectNode> after = members.values().stream()
                .filter(m -> productId.equals(m.path("paymentLinkId").asString()))
                .filter(m -> startingAfter == null || m.path("memberId").asString().compareTo(startingAfter) > 0)
                .sorted(Comparator.comparing(m -> m.path("memberId").asString()))
                .limit(limit + 1L)
                .toList();
        boolean hasMore = after.size() > limit;
        List<ObjectNode> page = hasMore ? after.subList(0, limit) : after;
        return SandboxResponse.json(200, json.writeValueAsString(pageAnswer(page, hasMore)));
    }

    /** A write's answer: {@code {statusCode, message, data: {membershipCustomer}}}. */
    private ObjectNode updateAnswer(ObjectNode member) {
        ObjectNode answer = json.createObjectNode();
        answer.put("statusCode", 200);
        answer.put("message", "success");
        answer.putObject("data").set("membershipCustomer", member);
        return answer;
    }

    /** A read's answer: {@code {statusCode, messages, data}}. */
    private ObjectNode readAnswer(ObjectNode member) {
        ObjectNode answer = json.createObjectNode();
        answer.put("statusCode", 200);
        answer.put("messages", "success");
        answer.set("data", member);
        return answer;
    }

    /** A page of the list: {@code {statusCode, messages, hasMore, nextStartingAfter, data}}. */
    private ObjectNode pageAnswer(List<ObjectNode> page, boolean hasMore) {
        ObjectNode answer = json.createObjectNode();
        answer.put("statusCode", 200);
        answer.put("messages", "success");
        answer.put("hasMore", hasMore);
        if (hasMore) {
            answer.put("nextStartingAfter", page.getLast().path("memberId").asString());
        } else {
            answer.putNull("nextStartingAfter");
        }
        ArrayNode data = answer.putArray("data");
        page.forEach(m -> data.add(m.deepCopy()));
        return answer;
    }

    /**
     * The documented answer for another member of the product asked about: an update's tier, status and times
     * echoed, so the memberId is all that tells it apart; for the list, a last page holding only that member.
     */
    @Override
    String anotherRecord(SandboxRequest request) {
        ObjectNode given = bodyObject(request);
        String product = given.path("productId").isString() ? given.get("productId").stringValue()
                : Optional.ofNullable(nonBlank(request.parameter("productId"))).orElse("other-product");
        if (MEMBERS.matcher(request.path()).matches()) {
            return json.writeValueAsString(pageAnswer(List.of(newMember(anotherId(null), product)), false));
        }
        Matcher update = UPDATE.matcher(request.path());
        Matcher member = MEMBER.matcher(request.path());
        String memberId = update.matches() ? decode(update.group(1)) : member.matches() ? decode(member.group(1)) : null;
        ObjectNode other = newMember(anotherId(memberId), product);
        echo(given, other, List.of("membershipTierId", "status", "nextPayment", "expiredAt"));
        return json.writeValueAsString(update.matches() ? updateAnswer(other) : readAnswer(other));
    }

    /** The list's limit: the default when absent, null when it is not a whole number from 1 to the maximum. */
    private static Integer limit(String given) {
        if (given == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(given.strip());
            return limit >= 1 && limit <= MAX_LIMIT ? limit : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A new member of the sandbox account, in the documented field order. */
    private ObjectNode newMember(String memberId, String productId) {
        String now = format(clock.instant());
        ObjectNode member = json.createObjectNode();
        member.put("id", UUID.randomUUID().toString());
        member.put("memberId", memberId);
        member.put("userId", ACCOUNT_USER_ID);
        member.put("customerId", UUID.randomUUID().toString());
        member.putNull("membershipTierId");
        member.put("paymentLinkId", productId);
        member.put("monthlyPaymentPeriod", 1);
        member.put("status", "active");
        member.putNull("nextPayment");
        member.putNull("expiredAt");
        member.put("createdAt", now);
        member.put("updatedAt", now);
        return member;
    }

    /** Only a string in UTC ("...Z") is accepted: the docs ask for a UTC ISO 8601 string, not epoch millis. */
    private static Instant utcInstant(JsonNode value) {
        if (!value.isString()) {
            return null;
        }
        String text = value.stringValue();
        if (!text.endsWith("Z")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String format(Instant instant) {
        return MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String notFound(String memberId) {
        return "Member dengan ID " + memberId + " tidak ditemukan.";
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private SandboxResponse invalidBody() {
        return error(400, "Invalid request body");
    }

    /** Write endpoints: singular {@code message}. */
    private SandboxResponse error(int status, String message) {
        return SandboxResponse.json(status, errorBody(status, message));
    }

    /** Read endpoints: plural {@code messages}. */
    private SandboxResponse readError(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("statusCode", status);
        body.put("messages", message);
        return SandboxResponse.json(status, json.writeValueAsString(body));
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("statusCode", status);
        body.put("message", message);
        return json.writeValueAsString(body);
    }
}
