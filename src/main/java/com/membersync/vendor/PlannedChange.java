package com.membersync.vendor;

import tools.jackson.databind.node.ObjectNode;

/**
 * A change waiting to be delivered: the member's desired managed fields, and the vendor's object as last
 * confirmed ({@code null} when there is no cached state, e.g. on a first sync or a full resync).
 */
public record PlannedChange(long id, String key, long line, ObjectNode desired, ObjectNode cached) {}
