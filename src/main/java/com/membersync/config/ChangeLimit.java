package com.membersync.config;

import java.util.Locale;

/** A limit written as a count ({@code 500}) or a share ({@code 50%}) of some total. */
public record ChangeLimit(long count, double percent, boolean relative) {

    public static ChangeLimit parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).strip());
                if (p < 0) {
                    throw new NumberFormatException();
                }
                if (p > 100) {
                    throw new IllegalArgumentException("'" + text + "' is more than all of them (100%); to send whatever"
                            + " the count, run with --force");
                }
                return new ChangeLimit(0, p, true);
            }
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return new ChangeLimit(n, 0, false);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a limit; write a number (500) or a percentage (50%)");
        }
    }

    /** The largest number allowed out of {@code total}. */
    public long of(long total) {
        return relative ? (long) Math.floor(total * percent / 100.0) : count;
    }

    @Override
    public String toString() {
        return relative ? (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent)) + "%"
                : Long.toString(count);
    }
}
