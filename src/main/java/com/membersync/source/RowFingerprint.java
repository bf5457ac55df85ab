package com.membersync.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A 64-bit hash of what a row says about its member: the trimmed values of the key and of every field the vendor
 * knows, in the vendor's field order, and what decides how they are read (vendor, zone, version). The cached state
 * keeps the fingerprint of the row it was last synced from, so a row whose fingerprint is unchanged is known to be
 * unchanged without parsing, normalising or diffing it: the nightly steady state costs little more than reading
 * the file. Not a cryptographic hash: the input is the operator's own export.
 *
 * <p>A value is hashed as its UTF-8 bytes, so the CSV reader can fingerprint a record straight from the file's bytes
 * ({@link #cell(byte[], int, int)}) and get what {@link #of(SourceRow)} computes from the parsed cells. Trimming
 * removes ASCII white space only, a subset of what {@link String#strip()} removes: two rows with the same
 * fingerprint always have the same values; rows that differ only in other white space get different fingerprints
 * and go through the full diff, which finds them unchanged.
 */
public final class RowFingerprint {

    /** Bump when any vendor's normalisation changes: every row then goes through the full diff once. */
    static final int VERSION = 2;

    /** The key hash of a row without a usable key (blank, or a defective row): the row must be looked at. */
    public static final long NO_KEY = 0;

    private static final long PRIME = 0x9E3779B97F4A7C15L;
    private static final long CELL_SEED = 0xCBF29CE484222325L;
    private static final long KEY_SEED = 0x4B4559L;
    /** The hash of a blank cell, which is also that of a field the input has no column for. */
    static final long BLANK = cell(null);

    private final List<String> fields;
    private final long salt;
    private ColumnLayout layout;
    private int[] columns;

    /**
     * @param keyField the key column's field name
     * @param fields   the vendor's other fields
     * @param reading  what else decides how values are read, e.g. vendor name and zone
     */
    public RowFingerprint(String keyField, List<String> fields, String reading) {
        List<String> all = new ArrayList<>();
        all.add(keyField);
        all.addAll(fields);
        this.fields = List.copyOf(all);
        this.salt = mix(cell(VERSION + "\u0000" + reading));
    }

    /** The fingerprint of a parsed row. */
    public long of(SourceRow row) {
        int[] positions = columns(row.layout());
        String[] cells = row.cells();
        long h = salt;
        for (int column : positions) {
            h = combine(h, column >= 0 && column < cells.length ? cell(cells[column]) : BLANK);
        }
        return finish(h);
    }

    /** The key hash of a parsed row, or {@link #NO_KEY} when its key is blank or the row defective. */
    public long keyOf(SourceRow row) {
        if (row.defect() != null) {
            return NO_KEY;
        }
        int column = columns(row.layout())[0];
        String[] cells = row.cells();
        return key(column >= 0 && column < cells.length ? cell(cells[column]) : BLANK);
    }

    /** The hash of a member key as the cached state stores it, for lookups by key. */
    public static long ofKey(String key) {
        return key(cell(key));
    }

    /** How many fields the fingerprint covers, the key included. */
    int size() {
        return fields.size();
    }

    /** {@link #ofKey(String)} of a key given as UTF-8 bytes. */
    public static long ofKey(byte[] key, int from, int to) {
        return key(cell(key, from, to));
    }

    /** Per fingerprint field (the key first), its column in {@code layout}, or -1 when the input lacks it. */
    int[] columns(ColumnLayout layout) {
        if (layout != this.layout) { // one layout per input: resolve the positions once
            this.columns = fields.stream().mapToInt(layout::index).toArray();
            this.layout = layout;
        }
        return columns;
    }

    /** The fingerprint from the cell hashes of the fields, in {@link #columns} order. */
    long of(long[] cellHashes) {
        long h = salt;
        for (long cell : cellHashes) {
            h = combine(h, cell);
        }
        return finish(h);
    }

    /** The key hash from the key cell's hash. */
    static long key(long cellHash) {
        if (cellHash == BLANK) {
            return NO_KEY;
        }
        long h = mix(cellHash ^ KEY_SEED);
        return h == NO_KEY ? 1 : h;
    }

    /** The hash of a cell's trimmed value. */
    static long cell(String value) {
        int from = 0;
        int to = value == null ? 0 : value.length();
        while (from < to && trimmed(value.charAt(from))) {
            from++;
        }
        while (to > from && trimmed(value.charAt(to - 1))) {
            to--;
        }
        long h = CELL_SEED;
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                h = step(h, c);
                bytes++;
            } else if (c < 0x800) {
                h = step(step(h, 0xC0 | c >>> 6), 0x80 | c & 0x3F);
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                h = step(step(step(step(h, 0xF0 | cp >>> 18), 0x80 | cp >>> 12 & 0x3F), 0x80 | cp >>> 6 & 0x3F),
                        0x80 | cp & 0x3F);
                bytes += 4;
            } else {
                h = step(step(step(h, 0xE0 | c >>> 12), 0x80 | c >>> 6 & 0x3F), 0x80 | c & 0x3F);
                bytes += 3;
            }
        }
        return end(h, bytes);
    }

    /** The hash of an unquoted cell's UTF-8 bytes {@code [from, to)}, trimmed: equals {@link #cell(String)}. */
    static long cell(byte[] bytes, int from, int to) {
        return bytes(bytes, from, to, false);
    }

    /**
     * The hash of a quoted cell's content {@code [from, to)} (between its quotes), in which {@code ""} stands for
     * one quote: equals {@link #cell(String)} of the unquoted value.
     */
    static long quotedCell(byte[] bytes, int from, int to) {
        return bytes(bytes, from, to, true);
    }

    private static long bytes(byte[] bytes, int from, int to, boolean quoted) {
        while (from < to && trimmed(bytes[from])) {
            from++;
        }
        while (to > from && trimmed(bytes[to - 1])) {
            to--;
        }
        long h = CELL_SEED;
        int length = 0;
        for (int i = from; i < to; i++) {
            h = step(h, bytes[i] & 0xFF);
            length++;
            if (quoted && bytes[i] == '"') {
                i++; // the second quote of the pair
            }
        }
        return end(h, length);
    }

    /** ASCII white space as {@link Character#isWhitespace} sees it: never more than {@link String#strip()} removes. */
    private static boolean trimmed(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
    }

    private static long step(long h, int b) {
        return (h ^ b) * PRIME;
    }

    private static long end(long h, int length) {
        return (h ^ length ^ 0xFF51AFD7ED558CCDL) * PRIME;
    }

    private static long combine(long h, long cell) {
        return Long.rotateLeft((h ^ cell) * PRIME, 29);
    }

    private static long finish(long h) {
        h = mix(h);
        return h == 0 ? 1 : h; // 0 is "no fingerprint known" in the index and the state
    }

    /** MurmurHash3's finaliser: spreads every input bit over the whole result. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
