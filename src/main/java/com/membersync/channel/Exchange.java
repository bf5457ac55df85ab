package com.membersync.channel;

import java.net.http.HttpHeaders;

/** The end of one request's life in a {@link VendorChannel}, retries and waits included. */
public sealed interface Exchange {

    /** The vendor answered with something other than 429, 5xx or an authentication refusal. */
    record Answered(int status, String body, HttpHeaders headers) implements Exchange {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Every attempt failed (5xx, timeout, lost connection); {@code answer} describes the last one. */
    record GaveUp(Integer status, String answer) implements Exchange {}

    /** The channel no longer sends (authentication refused, circuit open, shutting down). */
    record Stopped(String reason) implements Exchange {}

    /** An answer's body on one line, cut to a length a message can carry. */
    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 500 ? oneLine.substring(0, 500) + "…" : oneLine;
    }
}
