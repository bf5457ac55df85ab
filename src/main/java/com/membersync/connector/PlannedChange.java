package com.membersync.connector;

import tools.jackson.databind.node.ObjectNode;

/**
 * A change waiting to be delivered: the member's desired managed fields, the vendor's object as last confirmed
 * ({@code null} when there is no cached state, e.g. on a first sync or a full resync), and the fingerprint of the
 * input row it was planned from (kept with the state once the vendor confirms exactly what was asked).
 */
public record PlannedChange(long id, String key, long line, ObjectNode desired, ObjectNode cached, long fingerprint) {

    /** The same change, planned as if nothing were cached (a full resync). */
    public PlannedChange withoutCache() {
        return new PlannedChange(id, key, line, desired, null, fingerprint);
    }
}
