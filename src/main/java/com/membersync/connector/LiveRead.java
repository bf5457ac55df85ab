package com.membersync.connector;

import com.membersync.channel.Exchange;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A member's live record as read from its vendor ({@code verify}), in the shape of the cached state. */
public sealed interface LiveRead {

    /** The vendor's record, with the input's field names and values normalised as the diff normalises them. */
    record Found(ObjectNode state) implements LiveRead {}

    /** The vendor no longer knows the member (404). */
    record NotFound() implements LiveRead {}

    /** The read failed after every attempt, or the vendor refused it: the member could not be checked. */
    record Unreadable(Integer status, String reason) implements LiveRead {}

    /** The channel no longer sends (credentials refused, circuit open, stopping). */
    record Stopped(String reason) implements LiveRead {}

    /**
     * What an exchange of a read amounts to; {@code record} maps the vendor's documented answer (the channel lets
     * nothing else through) to the state. Only the vendor's own 404 says it no longer knows the member.
     */
    static LiveRead of(Exchange exchange, Function<JsonNode, ObjectNode> record) {
        return switch (exchange) {
            case Exchange.Stopped stopped -> new Stopped(stopped.reason());
            case Exchange.GaveUp gaveUp -> new Unreadable(gaveUp.status(), gaveUp.answer());
            case Exchange.Answered answered when answered.status() == 404 -> new NotFound();
            case Exchange.Answered answered when answered.ok() -> new Found(record.apply(answered.document()));
            case Exchange.Answered answered -> new Unreadable(answered.status(), Exchange.abbreviate(answered.body()));
        };
    }
}
