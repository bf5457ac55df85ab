package com.membersync.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decoda Health's membership inventory as documented: {@code GET} and {@code PUT /inventory/memberships/{id}},
 * {@code GET /inventory/memberships?page=&per_page=} ({@code {data, total}}), the {@code API-KEY} and
 * {@code TENANT} headers (401 when either is wrong or missing), {@code {"detail": "..."}} errors and FastAPI's
 * 422 {@code {"detail": [{"loc", "msg", "type"}]}} for validation, {@code X-RateLimit-*} headers on every answer.
 *
 * <p>A membership has the fields of the published OpenAPI's {@code MembershipDetail}, two more than the seed page
 * lists: {@code merchantAccountId} (string or null) and {@code feeSchedule} (null or a list of
 * {@code {id, membershipId, cycleNumber >= 1, price >= 0}}). A PUT replaces the whole membership: a field it leaves
 * out is reset to the schema's default (0, MONTHLY, true, false or null), {@code memberCount} and
 * {@code totalRevenue} included, as the schema lists them with default 0, and {@code merchantAccountId} and
 * {@code feeSchedule} to null. {@code number} fields are answered as floats ({@code 10.0}); each discount and fee
 * schedule entry is answered with every member of its schema, the membership's id as {@code membershipId} and an
 * {@code id} assigned when none was sent.
 *
 * <p>The list answers the stored memberships ordered by id, {@code page} from 1, {@code per_page} 25 unless given
 * and at most {@value #MAX_PER_PAGE} (Decoda documents no maximum; more is refused with a 422, as FastAPI refuses
 * a query bound); a page past the end has an empty {@code data} and the same {@code total}.
 *
 * <p>Unlike Decoda, while {@link #autoCreate} is on (the default) every id exists: a GET of an unknown id answers
 * an empty membership with the schema's defaults (no name or price, nothing stored) and a PUT creates it, so
 * rehearsals need no seeding. Turn it off to see Decoda's {@code 404 {"detail": "Membership not found"}}.
 *
 * <p>An API key serves several tenants (accounts) under the {@code /decoda} prefix, told apart by the
 * {@code TENANT} header: tenant N is {@code sandbox-tenant-N} with the default account's key. Decoda limits each
 * tenant, so each has its own rate window.
 */
public final class DecodaSandbox extends MembershipSandbox<DecodaSandbox> {

    public static final String DEFAULT_API_KEY = "decoda-sandbox-key";
    public static final String DEFAULT_TENANT = "sandbox-tenant";
    private static final Pattern MEMBERSHIP = Pattern.compile("^/inventory/memberships/([^/]+)$");
    private static final Pattern LIST = Pattern.compile("^/inventory/memberships/?$");
    private static final List<String> FREQUENCIES = List.of("DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY", "QUARTERLY",
            "SEMI_ANNUALLY", "YEARLY");
    /** The rate limit the X-RateLimit-* headers announce when no limit is switched on in {@link #behaviour()}. */
    private static final int NOMINAL_LIMIT = 100;
    private static final int DEFAULT_PER_PAGE = 25;
    /** The largest {@code per_page} the list accepts; the vendor notes advise staying at or below it. */
    static final int MAX_PER_PAGE = 100;

    private enum Type { STRING, INTEGER, NUMBER, BOOLEAN, FREQUENCY, DISCOUNTS, FEE_SCHEDULE }

    /**
     * A documented field: its type, whether it may be null, its default when a PUT leaves it out (required when it
     * has none and may not be null), and for an integer the schema's {@code minimum}, if any.
     */
    private record Field(String name, Type type, boolean nullable, Object defaultValue, Long minimum) {

        Field(String name, Type type, boolean nullable, Object defaultValue) {
            this(name, type, nullable, defaultValue, null);
        }

        boolean required() {
            return defaultValue == null && !nullable;
        }
    }

    private static final List<Field> SCHEMA = List.of(
            new Field("name", Type.STRING, false, null),
            new Field("price", Type.INTEGER, false, null),
            new Field("id", Type.STRING, false, null),
            new Field("externalId", Type.STRING, true, null),
            new Field("description", Type.STRING, true, null),
            new Field("globalDiscountPercentage", Type.NUMBER, true, 0.0),
            new Field("patientCreditAmount", Type.INTEGER, false, 0L),
            new Field("patientCreditFrequency", Type.FREQUENCY, false, "MONTHLY"),
            new Field("patientCreditExpiryDays", Type.INTEGER, true, null),
            new Field("maxRenewals", Type.INTEGER, true, 0L),
            new Field("autoRenew", Type.BOOLEAN, false, true),
            new Field("setupFee", Type.INTEGER, false, 0L),
            new Field("freezeFee", Type.INTEGER, false, 0L),
            new Field("minimumBillingCycles", Type.INTEGER, false, 0L),
            new Field("billingFrequency", Type.FREQUENCY, false, "MONTHLY"),
            new Field("textColor", Type.STRING, true, null),
            new Field("isArchived", Type.BOOLEAN, false, false),
            new Field("ruleSetId", Type.STRING, true, null),
            new Field("discounts", Type.DISCOUNTS, true, null),
            new Field("memberCount", Type.INTEGER, true, 0L),
            new Field("totalRevenue", Type.INTEGER, true, 0L),
            new Field("merchantAccountId", Type.STRING, true, null),
            new Field("feeSchedule", Type.FEE_SCHEDULE, true, null));

    private static final List<Field> DISCOUNT_SCHEMA = List.of(
            new Field("membershipId", Type.STRING, true, null),
            new Field("id", Type.STRING, true, null),
            new Field("itemId", Type.STRING, true, null),
            new Field("itemCategory", Type.STRING, true, null),
            new Field("isPhysical", Type.BOOLEAN, true, null),
            new Field("discountPercentage", Type.NUMBER, true, null),
            new Field("discountAmount", Type.INTEGER, true, null),
            new Field("creditAmount", Type.INTEGER, true, null),
            new Field("quantity", Type.INTEGER, true, null),
            new Field("rollover", Type.BOOLEAN, false, false),
            new Field("rolloverExpiryDays", Type.INTEGER, true, null),
            new Field("neverExpire", Type.BOOLEAN, false, false),
            new Field("group", Type.STRING, true, null),
            new Field("isArchived", Type.BOOLEAN, false, false));

    /** MembershipFeeScheduleEntry: a price for one billing cycle. The id is nullable here as a discount's is. */
    private static final List<Field> FEE_SCHEDULE_SCHEMA = List.of(
            new Field("id", Type.STRING, true, null),
            new Field("membershipId", Type.STRING, false, ""),
            new Field("cycleNumber", Type.INTEGER, false, null, 1L),
            new Field("price", Type.INTEGER, false, null, 0L));

    private final AtomicLong entryIds = new AtomicLong();
    private volatile String apiKey = DEFAULT_API_KEY;
    private volatile String tenant = DEFAULT_TENANT;

    DecodaSandbox(Clock clock, RandomGenerator random) {
        super("decoda", clock, random);
    }

    private DecodaSandbox(DecodaSandbox main, String account) {
        super(main, account, new RateWindow());
        this.apiKey = main.apiKey;
        this.tenant = DEFAULT_TENANT + "-" + account;
    }

    @Override
    DecodaSandbox newAccount(String account) {
        return new DecodaSandbox(this, account);
    }

    @Override
    boolean carries(SandboxRequest request) {
        return apiKey.equals(request.header("API-KEY")) && tenant.equals(request.header("TENANT"));
    }

    @Override
    String accountNamedBy(SandboxRequest request) {
        return apiKey.equals(request.header("API-KEY")) ? after(DEFAULT_TENANT + "-", request.header("TENANT")) : null;
    }

    public DecodaSandbox apiKey(String key) {
        this.apiKey = key;
        return this;
    }

    public DecodaSandbox tenant(String tenant) {
        this.tenant = tenant;
        return this;
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("api-key", apiKey, "tenant", tenant);
    }

    @Override
    protected SandboxResponse serve(SandboxRequest request) {
        if (!carries(request)) {
            return detail(401, "Invalid API key or tenant");
        }
        if (LIST.matcher(request.path()).matches()) {
            return request.method().equals("GET") ? list(request) : detail(405, "Method Not Allowed");
        }
        Matcher m = MEMBERSHIP.matcher(request.path());
        if (!m.matches()) {
            return detail(404, "Not Found");
        }
        String id = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        return switch (request.method()) {
            case "GET" -> get(id);
            case "PUT" -> put(id, request.body());
            default -> detail(405, "Method Not Allowed");
        };
    }

    private SandboxResponse get(String id) {
        ObjectNode found = memberships.get(id);
        if (found != null) {
            return answer(200, found);
        }
        if (!autoCreate) {
            return notFound();
        }
        ObjectNode empty = defaults(id);
        empty.remove("name");
        empty.remove("price");
        return answer(200, empty);
    }

    private SandboxResponse put(String id, String body) {
        JsonNode given;
        try {
            given = json.readTree(body);
        } catch (JacksonException e) {
            List<ObjectNode> problems = new ArrayList<>();
            problems.add(problem(List.<Object>of("body", 0), "JSON decode error", "json_invalid"));
            return unprocessable(problems);
        }
        if (given == null || !given.isObject()) {
            return unprocessable(List.of(problem(List.<Object>of("body"), "Input should be a valid dictionary or object to extract fields from",
                    "model_attributes_type")));
        }
        List<ObjectNode> problems = new ArrayList<>();
        ObjectNode stored = json.createObjectNode();
        for (Field field : SCHEMA) {
            JsonNode value = given.get(field.name());
            List<Object> loc = List.<Object>of("body", field.name());
            if (field.name().equals("id")) {
                if (value != null && !value.isNull() && !(value.isString() && value.stringValue().equals(id))) {
                    problems.add(problem(loc, "id must match the membership_id in the path", "value_error"));
                }
                stored.put("id", id);
            } else if (value == null) {
                JsonNode absent = absent(field, loc, problems);
                if (absent != null) {
                    stored.set(field.name(), absent);
                }
            } else {
                JsonNode checked = check(field, value, loc, problems, id);
                if (checked != null) {
                    stored.set(field.name(), checked);
                }
            }
        }
        if (!problems.isEmpty()) {
            return unprocessable(problems);
        }
        if (!memberships.containsKey(id) && !autoCreate) {
            return notFound();
        }
        memberships.put(id, stored);
        return answer(200, stored);
    }

    /** The default of a field a PUT leaves out, or null after adding "Field required" to {@code problems}. */
    private JsonNode absent(Field field, List<Object> loc, List<ObjectNode> problems) {
        if (field.required()) {
            problems.add(problem(loc, "Field required", "missing"));
            return null;
        }
        return defaultNode(field);
    }

    /** The value as Decoda stores it, or null after adding what is wrong with it to {@code problems}. */
    private JsonNode check(Field field, JsonNode value, List<Object> loc, List<ObjectNode> problems, String id) {
        if (value.isNull() && field.nullable()) {
            return value;
        }
        switch (field.type()) {
            case STRING -> {
                if (value.isString()) {
                    return value;
                }
            }
            case INTEGER -> {
                if (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
                    long whole = value.isIntegralNumber() ? value.longValue() : value.decimalValue().longValue();
                    if (field.minimum() != null && whole < field.minimum()) {
                        problems.add(atLeast(loc, field.minimum()));
                        return null;
                    }
                    return json.getNodeFactory().numberNode(whole);
                }
                if (value.isNumber()) {
                    problems.add(problem(loc, "Input should be a valid integer, got a number with a fractional part",
                            "int_from_float"));
                    return null;
                }
            }
            case NUMBER -> {
                if (value.isNumber()) {
                    return json.getNodeFactory().numberNode(value.doubleValue());
                }
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value;
                }
            }
            case FREQUENCY -> {
                if (value.isString() && FREQUENCIES.contains(value.stringValue())) {
                    return value;
                }
            }
            case DISCOUNTS -> {
                if (value.isArray()) {
                    return entries(value, DISCOUNT_SCHEMA, "disc_", loc, problems, id);
                }
            }
            case FEE_SCHEDULE -> {
                if (value.isArray()) {
                    return entries(value, FEE_SCHEDULE_SCHEMA, "fee_", loc, problems, id);
                }
            }
        }
        problems.add(wrongType(field.type(), loc));
        return null;
    }

    /** Pydantic's wording for a value of the wrong type. */
    private ObjectNode wrongType(Type type, List<Object> loc) {
        return switch (type) {
            case STRING -> problem(loc, "Input should be a valid string", "string_type");
            case INTEGER -> problem(loc, "Input should be a valid integer", "int_type");
            case NUMBER -> problem(loc, "Input should be a valid number", "float_type");
            case BOOLEAN -> problem(loc, "Input should be a valid boolean", "bool_type");
            case FREQUENCY -> problem(loc, "Input should be " + String.join(", ", FREQUENCIES.subList(0, FREQUENCIES.size() - 1)
                    .stream().map(f -> "'" + f + "'").toList()) + " or '" + FREQUENCIES.getLast() + "'", "enum");
            case DISCOUNTS, FEE_SCHEDULE -> problem(loc, "Input should be a valid list", "list_type");
        };
    }

    /** A list of discounts or fee schedule entries, each checked against its schema. */
    private JsonNode entries(JsonNode value, List<Field> schema, String idPrefix, List<Object> loc,
            List<ObjectNode> problems, String id) {
        ArrayNode stored = json.createArrayNode();
        int i = 0;
        for (JsonNode entry : value) {
            List<Object> at = append(loc, i++);
            if (!entry.isObject()) {
                problems.add(problem(at, "Input should be a valid dictionary or object to extract fields from",
                        "model_attributes_type"));
                continue;
            }
            ObjectNode out = stored.addObject();
            for (Field member : schema) {
                JsonNode given = entry.get(member.name());
                if (given == null) {
                    JsonNode absent = absent(member, append(at, member.name()), problems);
                    if (absent != null) {
                        out.set(member.name(), absent);
                    }
                } else {
                    JsonNode checked = check(member, given, append(at, member.name()), problems, id);
                    if (checked != null) {
                        out.set(member.name(), checked);
                    }
                }
            }
            // Decoda owns these: the entry belongs to this membership, and gets an id when it is new.
            out.put("membershipId", id);
            if (!out.path("id").isString()) {
                out.put("id", idPrefix + entryIds.incrementAndGet());
            }
        }
        return stored;
    }

    private SandboxResponse list(SandboxRequest request) {
        List<ObjectNode> problems = new ArrayList<>();
        int page = queryInt(request, "page", 1, Integer.MAX_VALUE, problems);
        int perPage = queryInt(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE, problems);
        if (!problems.isEmpty()) {
            return unprocessable(problems);
        }
        List<ObjectNode> all = memberships.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        ObjectNode body = json.createObjectNode();
        ArrayNode data = body.putArray("data");
        long from = (long) (page - 1) * perPage;
        all.stream().skip(from).limit(perPage).forEach(m -> data.add(m.deepCopy()));
        body.put("total", all.size());
        return withRateLimit(200, json.writeValueAsString(body));
    }

    /** A query parameter from 1 to {@code max}, or {@code fallback} when absent (or wrong, after adding why). */
    private int queryInt(SandboxRequest request, String name, int fallback, int max, List<ObjectNode> problems) {
        String value = request.parameter(name);
        if (value == null) {
            return fallback;
        }
        List<Object> loc = List.<Object>of("query", name);
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 1) {
                problems.add(atLeast(loc, 1));
            } else if (n > max) {
                problems.add(problem(loc, "Input should be less than or equal to " + max, "less_than_equal"));
            } else {
                return n;
            }
        } catch (NumberFormatException e) {
            problems.add(problem(loc, "Input should be a valid integer, unable to parse string as an integer", "int_parsing"));
        }
        return fallback;
    }

    private ObjectNode atLeast(List<Object> loc, long minimum) {
        return problem(loc, "Input should be greater than or equal to " + minimum, "greater_than_equal");
    }

    /**
     * Another membership with the schema's defaults and a PUT's fields echoed, so the id is all that tells it apart;
     * for the list, a page holding only that membership.
     */
    @Override
    String anotherRecord(SandboxRequest request) {
        Matcher m = MEMBERSHIP.matcher(request.path());
        String id = anotherId(m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null);
        ObjectNode other = defaults(id);
        other.put("name", "Another membership");
        other.put("price", 0);
        other.setAll(bodyObject(request));
        other.put("id", id);
        if (!LIST.matcher(request.path()).matches()) {
            return json.writeValueAsString(other);
        }
        ObjectNode page = json.createObjectNode();
        page.putArray("data").add(other);
        page.put("total", 1);
        return json.writeValueAsString(page);
    }

    private ObjectNode defaults(String id) {
        ObjectNode membership = json.createObjectNode();
        for (Field field : SCHEMA) {
            membership.set(field.name(), field.name().equals("id") ? json.getNodeFactory().stringNode(id) : defaultNode(field));
        }
        return membership;
    }

    private JsonNode defaultNode(Field field) {
        var nodes = json.getNodeFactory();
        return switch (field.defaultValue()) {
            case null -> nodes.nullNode();
            case Long n -> nodes.numberNode(n);
            case Double d -> nodes.numberNode(d);
            case Boolean b -> nodes.booleanNode(b);
            case String s -> nodes.stringNode(s);
            default -> throw new IllegalStateException("unexpected default " + field.defaultValue());
        };
    }

    private static List<Object> append(List<Object> loc, Object part) {
        List<Object> longer = new ArrayList<>(loc);
        longer.add(part);
        return longer;
    }

    private ObjectNode problem(List<Object> loc, String msg, String type) {
        ObjectNode problem = json.createObjectNode();
        ArrayNode where = problem.putArray("loc");
        for (Object part : loc) {
            if (part instanceof Integer i) {
                where.add(i);
            } else {
                where.add(part.toString());
            }
        }
        problem.put("msg", msg);
        problem.put("type", type);
        return problem;
    }

    private SandboxResponse unprocessable(List<ObjectNode> problems) {
        ObjectNode body = json.createObjectNode();
        ArrayNode detail = body.putArray("detail");
        problems.forEach(detail::add);
        return withRateLimit(422, json.writeValueAsString(body));
    }

    private SandboxResponse answer(int status, ObjectNode membership) {
        return withRateLimit(status, json.writeValueAsString(membership));
    }

    private SandboxResponse notFound() {
        return detail(404, "Membership not found");
    }

    private SandboxResponse detail(int status, String message) {
        return withRateLimit(status, errorBody(status, message));
    }

    /**
     * Decoda puts X-RateLimit-* on every answer. The base class sets real numbers when a limit is switched on; this
     * announces a nominal one otherwise, so clients always see the headers.
     */
    private SandboxResponse withRateLimit(int status, String body) {
        Map<String, String> headers = behaviour().ratePermits() > 0 ? Map.of()
                : rateLimitHeaders(NOMINAL_LIMIT, NOMINAL_LIMIT - 1, 1);
        return new SandboxResponse(status, body, headers);
    }

    @Override
    protected Map<String, String> rateLimitHeaders(int limit, int remaining, long resetSeconds) {
        return announce(limit, remaining, resetSeconds);
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("detail", message);
        return json.writeValueAsString(body);
    }
}
