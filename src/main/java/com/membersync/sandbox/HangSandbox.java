package com.membersync.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hang's partner API as documented: {@code PATCH /v2/program-memberships/{id}} and {@code GET} of one, both
 * answering {@code {"membership": {id, external_user_id, created_at, phone, email, social_media_credentials,
 * family_member_birthdays}}}: no names or birthday, the phone in E.164, family members with {@code birth_date}
 * and {@code last_name: ""}. The {@code X-API-Key} header, the {@code {id, code, messages}} error envelope.
 *
 * <p>Unlike Hang, a PATCH to an unknown membership creates it while {@link #autoCreate} is on (the default), so
 * rehearsals need no seeding; turn it off to see Hang's 404.
 *
 * <p>Several programs (accounts) share the {@code /hang} prefix, told apart by their API key: program N has
 * {@code hang-sandbox-key-N}. Hang documents no rate limit, so each program has its own window.
 */
public final class HangSandbox extends MembershipSandbox<HangSandbox> {

    public static final String DEFAULT_API_KEY = "hang-sandbox-key";
    private static final Pattern MEMBERSHIP = Pattern.compile("^/v2/program-memberships/([^/]+)$");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    private volatile String apiKey = DEFAULT_API_KEY;

    HangSandbox(Clock clock, RandomGenerator random) {
        super("hang", clock, random);
    }

    private HangSandbox(HangSandbox main, String account) {
        super(main, account, new RateWindow());
        this.apiKey = DEFAULT_API_KEY + "-" + account;
    }

    @Override
    HangSandbox newAccount(String account) {
        return new HangSandbox(this, account);
    }

    @Override
    boolean carries(SandboxRequest request) {
        return apiKey.equals(request.header("X-API-Key"));
    }

    @Override
    String accountNamedBy(SandboxRequest request) {
        return after(DEFAULT_API_KEY + "-", request.header("X-API-Key"));
    }

    public HangSandbox apiKey(String key) {
        this.apiKey = key;
        return this;
    }

    @Override
    public Map<String, String> credentials() {
        return Map.of("api-key", apiKey);
    }

    @Override
    protected SandboxResponse serve(SandboxRequest request) {
        String key = request.header("X-API-Key");
        if (key == null || key.isBlank()) {
            return error(400, "API_KEY_HEADER_IS_MISSING", "X-API-Key", "The X-API-Key header is missing");
        }
        if (!carries(request)) {
            return error(401, "INVALID_API_KEY", "X-API-Key", "The API key is not valid");
        }
        Matcher m = MEMBERSHIP.matcher(request.path());
        if (!m.matches()) {
            return error(404, "NOT_FOUND", "path", "No route for " + request.method() + " " + request.path());
        }
        String id = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        return switch (request.method()) {
            case "GET" -> Optional.ofNullable(memberships.get(id))
                    .map(found -> SandboxResponse.json(200, answer(found)))
                    .orElseGet(() -> notFound(id));
            case "PATCH" -> patch(id, request.body());
            default -> error(405, "METHOD_NOT_ALLOWED", "method", request.method() + " is not supported here");
        };
    }

    private SandboxResponse patch(String id, String body) {
        JsonNode patch;
        try {
            patch = json.readTree(body);
        } catch (JacksonException e) {
            return error(400, "INVALID_JSON", "body", "The request body is not valid JSON");
        }
        if (patch == null || !patch.isObject()) {
            return error(400, "INVALID_JSON", "body", "The request body must be a JSON object");
        }
        List<String[]> problems = new ArrayList<>();
        ObjectNode changes = json.createObjectNode();
        for (String field : List.of("external_user_id", "email", "first_name", "last_name")) {
            JsonNode value = patch.get(field);
            if (value != null) {
                if (!value.isString()) {
                    problems.add(new String[] {field, field + " must be a string"});
                } else {
                    changes.put(field, value.stringValue());
                }
            }
        }
        if (changes.has("email") && !changes.get("email").stringValue().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            problems.add(new String[] {"email", "email is not a valid email address"});
        }
        JsonNode phone = patch.get("phone");
        if (phone != null) {
            String formatted = phone.isString() ? formatPhone(phone.stringValue()) : null;
            if (formatted == null) {
                problems.add(new String[] {"phone", "phone must include an area code, like +17891234567"});
            } else {
                changes.put("phone", formatted);
            }
        }
        JsonNode birthday = patch.get("birthday");
        if (birthday != null) {
            if (!birthday.isString() || !isDate(birthday.stringValue())) {
                problems.add(new String[] {"birthday", "birthday must be a date formatted YYYY-MM-DD"});
            } else {
                changes.put("birthday", birthday.stringValue());
            }
        }
        JsonNode family = patch.get("family_member_birthdays");
        if (family != null) {
            ArrayNode stored = familyMembers(family, problems);
            if (stored != null) {
                changes.set("family_member_birthdays", stored);
            }
        }
        if (!problems.isEmpty()) {
            return errors(400, "INVALID_PARAMETERS", problems);
        }
        ObjectNode membership = memberships.get(id);
        if (membership == null) {
            if (!autoCreate) {
                return notFound(id);
            }
            membership = json.createObjectNode();
            membership.put("id", id);
            membership.put("created_at", clock.instant().getEpochSecond());
        }
        ObjectNode updated = membership.deepCopy();
        updated.setAll(changes);
        memberships.put(id, updated);
        return SandboxResponse.json(200, answer(updated));
    }

    /** Hang stores family members with birth_date, and "" for a missing last name. */
    private ArrayNode familyMembers(JsonNode family, List<String[]> problems) {
        if (!family.isArray()) {
            problems.add(new String[] {"family_member_birthdays", "family_member_birthdays must be an array"});
            return null;
        }
        ArrayNode stored = json.createArrayNode();
        int i = 0;
        for (JsonNode member : family) {
            String where = "family_member_birthdays[" + i++ + "]";
            String firstName = member.path("first_name").isString() ? member.get("first_name").stringValue() : null;
            String birthday = member.path("birthday").isString() ? member.get("birthday").stringValue() : null;
            String status = member.path("status").isString() ? member.get("status").stringValue() : null;
            if (firstName == null || firstName.isBlank()) {
                problems.add(new String[] {where + ".first_name", "first_name is required"});
            }
            if (birthday == null || !isDate(birthday)) {
                problems.add(new String[] {where + ".birthday", "birthday is required, formatted YYYY-MM-DD"});
            }
            if (!"active".equals(status) && !"inactive".equals(status)) {
                problems.add(new String[] {where + ".status", "status must be \"active\" or \"inactive\""});
            }
            ObjectNode out = stored.addObject();
            out.put("first_name", firstName);
            out.put("last_name", member.path("last_name").isString() ? member.get("last_name").stringValue() : "");
            out.put("birth_date", birthday);
            out.put("status", status);
        }
        return stored;
    }

    /** "If you send in an unformatted number we will format and set to US as long as there is an area code." */
    static String formatPhone(String phone) {
        String trimmed = phone.strip();
        if (trimmed.startsWith("+")) {
            String digits = trimmed.substring(1).replaceAll("[\\s().-]", "");
            return digits.matches("\\d{8,15}") ? "+" + digits : null;
        }
        String digits = trimmed.replaceAll("[\\s().-]", "");
        if (digits.matches("1\\d{10}")) {
            return "+" + digits;
        }
        return digits.matches("\\d{10}") ? "+1" + digits : null;
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value, DATE);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The documented answer: no first_name, last_name or birthday. */
    private String answer(ObjectNode stored) {
        ObjectNode membership = json.createObjectNode();
        membership.put("id", stored.path("id").asString());
        membership.set("external_user_id", stored.get("external_user_id"));
        membership.put("created_at", stored.path("created_at").asLong(clock.instant().getEpochSecond()));
        membership.set("phone", e164(stored.get("phone")));
        membership.set("email", stored.get("email"));
        ObjectNode social = membership.putObject("social_media_credentials");
        social.putNull("twitter_username");
        social.putNull("instagram_username");
        social.putNull("tiktok_username");
        membership.set("family_member_birthdays", stored.has("family_member_birthdays")
                ? stored.get("family_member_birthdays") : json.createArrayNode());
        ObjectNode root = json.createObjectNode();
        root.set("membership", membership);
        return json.writeValueAsString(root);
    }

    /**
     * The documented answer for another membership: a write's external_user_id, phone and email echoed, so the id is
     * all that tells it apart.
     */
    @Override
    String anotherRecord(SandboxRequest request) {
        Matcher m = MEMBERSHIP.matcher(request.path());
        ObjectNode other = json.createObjectNode();
        other.put("id", anotherId(m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null));
        echo(bodyObject(request), other, List.of("external_user_id", "phone", "email"));
        return answer(other);
    }

    /** Hang answers phones in E.164; a seeded or dashboard-edited one may be stored as typed. */
    private JsonNode e164(JsonNode phone) {
        String formatted = phone != null && phone.isString() ? formatPhone(phone.stringValue()) : null;
        return formatted == null ? phone : json.getNodeFactory().stringNode(formatted);
    }

    private SandboxResponse notFound(String id) {
        return error(404, "PROGRAM_MEMBERSHIP_NOT_FOUND", "program_membership_id", "No program membership with id " + id);
    }

    private SandboxResponse error(int status, String code, String title, String message) {
        List<String[]> one = new ArrayList<>();
        one.add(new String[] {title, message});
        return errors(status, code, one);
    }

    private SandboxResponse errors(int status, String code, List<String[]> messages) {
        ObjectNode body = json.createObjectNode();
        body.put("id", UUID.randomUUID().toString());
        body.put("code", code);
        ArrayNode list = body.putArray("messages");
        for (String[] m : messages) {
            list.addObject().put("title", m[0]).put("message", m[1]);
        }
        return SandboxResponse.json(status, json.writeValueAsString(body));
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("id", UUID.randomUUID().toString());
        body.put("code", status == 429 ? "TOO_MANY_REQUESTS" : "SERVICE_UNAVAILABLE");
        body.putArray("messages").addObject().put("title", "error").put("message", message);
        return json.writeValueAsString(body);
    }
}
