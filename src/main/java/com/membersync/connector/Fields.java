package com.membersync.connector;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Comparing managed fields with the cached remote state. */
public final class Fields {

    private Fields() {}

    /**
     * The managed fields whose desired value differs from the cached one. Values are normalised before they are
     * stored, so their JSON text is a faithful comparison (and ignores Jackson's int/long node distinction).
     */
    public static List<String> changed(ObjectNode desired, ObjectNode cached) {
        List<String> changed = new ArrayList<>(2);
        for (String field : desired.propertyNames()) {
            JsonNode want = desired.get(field);
            JsonNode have = cached == null ? null : cached.get(field);
            if (have == null || have.isNull() || !want.toString().equals(have.toString())) {
                changed.add(field);
            }
        }
        return changed;
    }

    public static boolean differ(ObjectNode desired, ObjectNode cached) {
        if (cached == null) {
            return true;
        }
        for (String field : desired.propertyNames()) {
            JsonNode have = cached.get(field);
            if (have == null || !desired.get(field).toString().equals(have.toString())) {
                return true;
            }
        }
        return false;
    }
}
