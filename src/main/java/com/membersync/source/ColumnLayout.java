package com.membersync.source;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each field sits in a row. Built once per input from its header and the feed's {@code columns}
 * overrides (field -> header), so a row lookup is one hash probe.
 */
public final class ColumnLayout {

    private final Map<String, Integer> fieldIndex;
    private final Map<String, Integer> headers;
    private final int width;

    private ColumnLayout(Map<String, Integer> fieldIndex, Map<String, Integer> headers, int width) {
        this.fieldIndex = fieldIndex;
        this.headers = headers;
        this.width = width;
    }

    /**
     * @param header      the input's column names, in order
     * @param overrides   field name -> column name in this input (the feed's {@code columns} setting)
     */
    public static ColumnLayout of(String[] header, Map<String, String> overrides) {
        Map<String, Integer> headers = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            String name = header[i] == null ? "" : header[i].strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1).strip();
            }
            headers.putIfAbsent(name, i);
        }
        Map<String, Integer> fields = new HashMap<>(headers);
        for (var override : overrides.entrySet()) {
            Integer index = headers.get(override.getValue());
            if (index != null) {
                fields.put(override.getKey(), index);
            }
        }
        return new ColumnLayout(fields, Collections.unmodifiableMap(headers), header.length);
    }

    public int index(String field) {
        Integer index = fieldIndex.get(field);
        return index == null ? -1 : index;
    }

    public boolean has(String field) {
        return fieldIndex.containsKey(field);
    }

    /** Column name -> position, in the input's order. */
    public Map<String, Integer> headers() {
        return headers;
    }

    public int width() {
        return width;
    }
}
