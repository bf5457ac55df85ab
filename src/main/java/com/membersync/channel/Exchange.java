package com.membersync.channel;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** The end of one request's life in a {@link VendorChannel}, retries and waits included. */
public sealed interface Exchange {

    /**
     * The vendor answered with something other than 429, 5xx or an authentication refusal: a 2xx with the answer it
     * documents for the request, or a 4xx with its error envelope. {@code document} is the body's JSON.
     */
    record Answered(int status, String body, HttpHeaders headers, JsonNode document) implements Exchange {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Every attempt failed (5xx, timeout, lost connection, an answer that is not the vendor's); {@code answer}
     * describes the last one, {@code foreign} when it was an answer that is not the vendor's.
     */
    record GaveUp(Integer status, String answer, boolean foreign) implements Exchange {
        public GaveUp(Integer status, String answer) {
            this(status, answer, false);
        }
    }

    /** The channel no longer sends (authentication refused, circuit open, shutting down). */
    record Stopped(String reason) implements Exchange {}

    /** An answer's body on one line, cut to a length a message can carry. */
    static String abbreviate(String body) {
        return abbreviate(body, 500);
    }

    /** An answer's body on one line, cut to {@code max} characters. */
    static String abbreviate(String body, int max) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > max ? oneLine.substring(0, max) + "…" : oneLine;
    }
}
