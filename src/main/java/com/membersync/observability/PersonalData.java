package com.membersync.observability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in text that comes from outside (a vendor's answer, an exception message) before it is
 * logged. member-sync's own log lines never carry row values; this catches what others might echo back.
 */
public final class PersonalData {

    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w.:-])\\+?\\d[\\d ().-]{6,}\\d(?![\\w.:-])");
    private static final Pattern DATE = Pattern.compile("(?<![\\w/.-])(\\d{4})-\\d{2}-\\d{2}(?![\\w:-])");

    private PersonalData() {}

    /** A personal value shown for what it is without giving it away: {@code j***@example.com}, {@code ***4567}, {@code J***}. */
    public static String maskValue(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        int at = value.indexOf('@');
        if (at > 0) {
            return value.charAt(0) + "***" + value.substring(at);
        }
        String digits = value.replaceAll("\\D", "");
        if (digits.length() >= 7 && digits.length() * 2 > value.length()) {
            return "***" + digits.substring(digits.length() - 4);
        }
        return value.charAt(0) + "***";
    }

    /** {@code joe.smith@example.com} → {@code j***@example.com}; phones → {@code ***4567}; dates → {@code 1989-**-**}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = DATE.matcher(EMAIL.matcher(text).replaceAll("$1***@$2")).replaceAll("$1-**-**");
        Matcher phones = PHONE.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (phones.find()) {
            String digits = phones.group().replaceAll("\\D", "");
            String replacement = digits.length() >= 7 ? "***" + digits.substring(digits.length() - 4) : phones.group();
            phones.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        phones.appendTail(out);
        return out.toString();
    }
}
