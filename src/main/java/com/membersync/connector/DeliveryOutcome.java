package com.membersync.connector;

import com.membersync.channel.Exchange;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/** How one planned change ended. */
public sealed interface DeliveryOutcome {

    /**
     * What the exchange of a write amounts to: {@code synced} reads the vendor's documented answer (a 2xx),
     * {@code refused} its error envelope (a 4xx).
     */
    static DeliveryOutcome of(Exchange exchange, Function<Exchange.Answered, DeliveryOutcome> synced,
            Function<Exchange.Answered, DeliveryOutcome> refused) {
        return switch (exchange) {
            case Exchange.Stopped stopped -> new NotSent(stopped.reason());
            case Exchange.GaveUp gaveUp -> new Failed(gaveUp.status(), gaveUp.answer());
            case Exchange.Answered answered when answered.ok() -> synced.apply(answered);
            case Exchange.Answered answered -> refused.apply(answered);
        };
    }

    /**
     * The vendor confirmed the write (2xx); {@code state} is the vendor's object as we now know it, {@code drifted}
     * the managed fields the vendor held with other values than member-sync last synced (read right before the
     * write, where the vendor's write needs a read: Decoda).
     */
    record Synced(int status, ObjectNode state, List<String> drifted) implements DeliveryOutcome {

        public Synced {
            drifted = List.copyOf(drifted);
        }

        public Synced(int status, ObjectNode state) {
            this(status, state, List.of());
        }
    }

    /** The vendor refused this row (4xx); sending it again would not help. */
    record Refused(int status, String field, String message) implements DeliveryOutcome {}

    /** Retries are used up (5xx, timeouts, lost connections); {@code answer} is the last thing we got. */
    record Failed(Integer status, String answer) implements DeliveryOutcome {}

    /**
     * Not delivered, and left pending for the next run: the vendor stopped accepting requests (authentication
     * refused, circuit open) or the run is shutting down.
     */
    record NotSent(String reason) implements DeliveryOutcome {}
}
