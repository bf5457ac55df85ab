package com.membersync.connector;

import tools.jackson.databind.node.ObjectNode;

/** How one planned change ended. */
public sealed interface DeliveryOutcome {

    /** The vendor confirmed the write (2xx); {@code state} is the vendor's object as we now know it. */
    record Synced(int status, ObjectNode state) implements DeliveryOutcome {}

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
