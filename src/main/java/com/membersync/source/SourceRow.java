package com.membersync.source;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input record: its physical line (CSV) or ordinal (query), its cells, and how field names map to cells.
 * A row the reader could not parse carries a {@code defect} instead of usable cells.
 */
public record SourceRow(long line, String[] cells, ColumnLayout layout, String defect) {

    public static SourceRow of(long line, String[] cells, ColumnLayout layout) {
        return new SourceRow(line, cells, layout, null);
    }

    public static SourceRow defective(long line, String[] cells, ColumnLayout layout, String defect) {
        return new SourceRow(line, cells, layout, defect);
    }

    /** The trimmed value of a field, or {@code null} when the cell is blank or absent: "not managed". */
    public String value(String field) {
        int index = layout.index(field);
        if (index < 0 || index >= cells.length) {
            return null;
        }
        String cell = cells[index];
        if (cell == null) {
            return null;
        }
        String trimmed = cell.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Field name to raw cell, in header order, for the rejected-rows report. */
    public Map<String, String> asMap() {
        Map<String, String> values = new LinkedHashMap<>();
        for (var column : layout.headers().entrySet()) {
            int i = column.getValue();
            values.put(column.getKey(), i < cells.length ? cells[i] : null);
        }
        return values;
    }
}
