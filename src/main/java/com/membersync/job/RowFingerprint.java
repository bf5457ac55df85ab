package com.membersync.job;

import com.membersync.source.ColumnLayout;
import com.membersync.source.SourceRow;
import java.util.ArrayList;
import java.util.List;

/**
 * A 64-bit hash of what a row says about its member: the trimmed values of the key and of every field the vendor
 * knows, and what decides how they are read (vendor, zone, normalisation version). The cached state keeps the
 * fingerprint of the row it was last synced from, so a row whose fingerprint is unchanged is known to be
 * unchanged without normalising it or reading its cached object: the nightly steady state costs little more
 * than parsing the file. Not a cryptographic hash: the input is the operator's own export.
 */
final class RowFingerprint {

    /** Bump when any vendor's normalisation changes: every row then goes through the full diff once. */
    static final int VERSION = 1;

    private static final long PRIME = 0x9E3779B97F4A7C15L;

    private final List<String> fields;
    private final long salt;
    private ColumnLayout layout;
    private int[] indexes;

    RowFingerprint(FeedSpec feed) {
        List<String> all = new ArrayList<>();
        all.add(feed.vendor().keyField());
        all.addAll(feed.vendor().fields());
        this.fields = List.copyOf(all);
        this.salt = text(VERSION, feed.vendor().name() + '\u0000' + feed.properties().zone());
    }

    long of(SourceRow row) {
        if (row.layout() != layout) { // one layout per input: resolve the field positions once
            layout = row.layout();
            indexes = fields.stream().mapToInt(layout::index).toArray();
        }
        String[] cells = row.cells();
        long h = salt;
        for (int index : indexes) {
            String cell = index >= 0 && index < cells.length ? cells[index] : null;
            h = cell(h, cell);
        }
        h = mix(h);
        return h == MemberIndex.UNKNOWN ? 1 : h;
    }

    /** The hash of a member key, for lookups by key. */
    static long ofKey(String key) {
        return text(0x4B4559L, key);
    }

    private static long text(long seed, String value) {
        return mix(cell(seed, value));
    }

    /** Mixes one trimmed cell in; blank (not managed) is distinct from every value. */
    private static long cell(long h, String cell) {
        int from = 0;
        int to = cell == null ? 0 : cell.length();
        while (from < to && Character.isWhitespace(cell.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(cell.charAt(to - 1))) {
            to--;
        }
        for (int i = from; i < to; i++) {
            h = (h ^ cell.charAt(i)) * PRIME;
        }
        return (h ^ (to - from) ^ 0xFF51AFD7ED558CCDL) * PRIME;
    }

    /** MurmurHash3's finaliser: spreads every input bit over the whole result. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
