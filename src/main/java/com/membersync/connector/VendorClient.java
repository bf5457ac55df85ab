package com.membersync.connector;

import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Talks to one vendor: sends planned changes, and reads members' live records back ({@code verify}).
 * Implementations are thread-safe: a feed delivers concurrently.
 */
public interface VendorClient {

    DeliveryOutcome deliver(PlannedChange change) throws InterruptedException;

    /** Reads one member's live record; {@code synced} is its cached state (Mayar needs its product to find it). */
    LiveRead read(String key, ObjectNode synced) throws InterruptedException;

    /**
     * The list a member can be read in, for a vendor that lists its members (Decoda: all plans; Mayar: a product's
     * members); empty when members are read one at a time (Hang).
     */
    default Optional<String> listScope(ObjectNode synced) {
        return Optional.empty();
    }

    /** Members per page of a list. */
    default int pageSize() {
        return 1;
    }

    /** One page of the list of {@code scope}, after {@code cursor} (null: the first page). */
    default LivePage page(String scope, String cursor) throws InterruptedException {
        throw new UnsupportedOperationException("this vendor's members are read one at a time");
    }
}
