package com.membersync.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a vendor's requests are paced: a {@link Fixed} limit the operator knows ({@code 10/s}), or {@link Auto}, the
 * limit the vendor announces in its {@code X-RateLimit-*} headers, optionally capped ({@code auto, at most 50/s}).
 */
public sealed interface RatePolicy {

    Pattern AUTO = Pattern.compile("\\s*auto\\s*(?:,?\\s*at\\s+most\\s+(.+?))?\\s*");

    /** Exactly this many requests per window. */
    record Fixed(RateLimit limit) implements RatePolicy {
        @Override
        public RateLimit unannounced() {
            return limit;
        }

        @Override
        public String toString() {
            return limit.toString();
        }
    }

    /**
     * What the vendor announces, never more than {@code ceiling} when there is one; {@code unannounced} when the
     * vendor's answers carry no limit.
     */
    record Auto(Optional<RateLimit> ceiling, RateLimit unannounced) implements RatePolicy {
        public Auto {
            RateLimit fallback = unannounced;
            unannounced = ceiling.filter(c -> c.perSecond() < fallback.perSecond()).orElse(fallback);
        }

        @Override
        public String toString() {
            return ceiling.map(c -> "auto, at most " + c).orElse("auto");
        }
    }

    /** The pace when the vendor announces nothing: the fixed limit, or the vendor's documented one under auto. */
    RateLimit unannounced();

    /**
     * @param documented the vendor's documented (or conservative) limit, for {@code auto} when it announces none
     */
    static RatePolicy parse(String text, RateLimit documented) {
        Matcher auto = AUTO.matcher(text.toLowerCase(Locale.ROOT));
        if (auto.matches()) {
            return new Auto(Optional.ofNullable(auto.group(1)).map(RateLimit::parse), documented);
        }
        try {
            return new Fixed(RateLimit.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; or auto (the vendor's X-RateLimit-* headers), "
                    + "optionally \"auto, at most 50/s\"");
        }
    }
}
