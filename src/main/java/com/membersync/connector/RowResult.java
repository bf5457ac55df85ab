package com.membersync.connector;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** What a vendor makes of one input row: the member as it should be, or why the row cannot be used. */
public sealed interface RowResult {

    long line();

    String key();

    /**
     * The managed fields of one member, normalised, named as the input columns are. Only fields with a value
     * are present: a blank cell means the feed does not manage that field.
     */
    record Desired(long line, String key, ObjectNode fields) implements RowResult {}

    /** The row is invalid; nothing is sent for it. {@code field} is null for a problem with the whole row. */
    record Rejection(long line, String key, String field, String reason, Map<String, String> row) implements RowResult {

        public Rejection(long line, String key, String field, String reason) {
            this(line, key, field, reason, null);
        }

        /** The same rejection, carrying the raw input row for the report. */
        public Rejection withRow(Map<String, String> raw) {
            return new Rejection(line, key, field, reason, raw);
        }
    }
}
