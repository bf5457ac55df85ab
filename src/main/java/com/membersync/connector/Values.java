package com.membersync.connector;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parsing and normalising the cell values the vendors document. Each method either returns the canonical form
 * or throws {@link InvalidValue} naming the field and what is wrong, in words an operator can act on.
 */
public final class Values {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);
    // Deliberately loose: a mailbox, an @, and a domain with a dot; vendors do their own deliverability checks.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\"(),:;<>\\[\\\\\\]]+@[^@\\s\"(),:;<>\\[\\\\\\]]+\\.[^@\\s.\"(),:;<>\\[\\\\\\]]{2,}$");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Values() {}

    public static String email(String field, String value) {
        if (!EMAIL.matcher(value).matches()) {
            throw new InvalidValue(field, "'" + value + "' is not an email address");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * E.164, reading numbers without a country code as US ones. Accepts every number that is possible for its
     * region (the vendors' own example +17891234567 is possible but not assigned).
     */
    public static String phone(String field, String value) {
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(value, "US");
            if (!PHONES.isPossibleNumber(number)) {
                throw new InvalidValue(field, "'" + value + "' is not a possible phone number");
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new InvalidValue(field, "'" + value + "' is not a phone number");
        }
    }

    /** A calendar date written YYYY-MM-DD; impossible dates such as 1989-02-30 are refused. */
    public static String date(String field, String value) {
        try {
            return LocalDate.parse(value, DATE).toString();
        } catch (DateTimeParseException e) {
            throw new InvalidValue(field, "'" + value + "' is not a date (YYYY-MM-DD)");
        }
    }

    /**
     * An instant, given as ISO-8601 with Z or an offset, as a local date-time or as a date (read in {@code zone});
     * returned as UTC ISO-8601 ending in Z.
     */
    public static String instant(String field, String value, ZoneId zone) {
        try {
            Instant instant;
            if (value.length() == 10) {
                instant = LocalDate.parse(value, DATE).atStartOfDay(zone).toInstant();
            } else if (value.endsWith("Z") || value.endsWith("z")) {
                instant = Instant.parse(value.toUpperCase(Locale.ROOT));
            } else if (hasOffset(value)) {
                instant = OffsetDateTime.parse(value).toInstant();
            } else {
                instant = LocalDateTime.parse(value).atZone(zone).toInstant();
            }
            return instant.toString();
        } catch (DateTimeParseException e) {
            throw new InvalidValue(field, "'" + value + "' is not a date or time (ISO-8601, e.g. 2026-08-20T09:10:57Z, 2026-08-20T16:10:57+07:00 or 2026-08-20)");
        }
    }

    private static boolean hasOffset(String value) {
        int t = value.indexOf('T');
        return t > 0 && (value.indexOf('+', t) > 0 || value.indexOf('-', t) > 0);
    }

    public static long integer(String field, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidValue(field, "'" + value + "' is not a whole number");
        }
    }

    public static long nonNegativeInteger(String field, String value) {
        long n = integer(field, value);
        if (n < 0) {
            throw new InvalidValue(field, "'" + value + "' is negative");
        }
        return n;
    }

    public static long positiveInteger(String field, String value) {
        long n = integer(field, value);
        if (n <= 0) {
            throw new InvalidValue(field, "'" + value + "' must be a positive whole number");
        }
        return n;
    }

    /** Money in integer cents; "12.50" is refused rather than guessed at. */
    public static long cents(String field, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new InvalidValue(field, "'" + value + "' is negative; amounts are integer cents >= 0");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidValue(field, "'" + value + "' is not an amount in integer cents (e.g. 4900 for 49.00)");
        }
    }

    public static BigDecimal decimal(String field, String value) {
        try {
            BigDecimal d = new BigDecimal(value).stripTrailingZeros();
            return d.scale() < 0 ? d.setScale(0) : d;
        } catch (NumberFormatException e) {
            throw new InvalidValue(field, "'" + value + "' is not a number");
        }
    }

    public static boolean bool(String field, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new InvalidValue(field, "'" + value + "' is not true or false");
        };
    }

    /** One of the allowed values, matched case-insensitively and returned as the vendor spells it. */
    public static String oneOf(String field, String value, Set<String> allowed) {
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        throw new InvalidValue(field, "'" + value + "' is not one of " + String.join(", ", allowed.stream().sorted().toList()));
    }

    public static JsonNode jsonArray(String field, String value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JacksonException e) {
            throw new InvalidValue(field, "is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isArray()) {
            throw new InvalidValue(field, "must be a JSON array, e.g. [{...}]");
        }
        return node;
    }

    /** A string member of a JSON object in a cell, trimmed; null when absent or blank. */
    public static String text(JsonNode object, String member) {
        JsonNode node = object.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isString() ? node.stringValue() : node.toString();
        text = text.strip();
        return text.isEmpty() ? null : text;
    }
}
