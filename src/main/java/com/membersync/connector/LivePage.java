package com.membersync.connector;

import com.membersync.channel.Exchange;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One page of a vendor's list of members ({@code verify}), each in the shape of the cached state. */
public sealed interface LivePage {

    /** The members of the page by key, and the cursor of the next page (null on the last). */
    record Page(Map<String, ObjectNode> members, String next) implements LivePage {}

    /** The page could not be read after every attempt, or the vendor refused it. */
    record Unreadable(Integer status, String reason) implements LivePage {}

    /** The channel no longer sends (credentials refused, circuit open, stopping). */
    record Stopped(String reason) implements LivePage {}

    /**
     * What an exchange of a list request amounts to; {@code page} maps the vendor's documented answer (the channel
     * lets nothing else through) to the page.
     */
    static LivePage of(Exchange exchange, Function<JsonNode, Page> page) {
        return switch (exchange) {
            case Exchange.Stopped stopped -> new Stopped(stopped.reason());
            case Exchange.GaveUp gaveUp -> new Unreadable(gaveUp.status(), gaveUp.answer());
            case Exchange.Answered answered when answered.ok() -> page.apply(answered.document());
            case Exchange.Answered answered -> new Unreadable(answered.status(), Exchange.abbreviate(answered.body()));
        };
    }
}
