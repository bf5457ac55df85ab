package com.membersync.job;


/**
 * What planning needs to know per member, by key hash: the fingerprint of the row its cached state was synced
 * from, and the line where this input first named it. Flat arrays, open addressing with linear probing, at most
 * half full: a million members take about 40 MB, where a {@code HashMap<String, ...>} would take well over 100 MB.
 * A row costs one probe of the key table (one cache line); whether its key was seen already is a bit in a set small
 * enough to stay in the CPU cache, and its line is only written, read back for duplicates alone.
 */
final class MemberIndex {

    /** Fingerprint of a member without one (not synced, or synced before fingerprints were kept). */
    static final long UNKNOWN = 0;

    private long[] table; // per slot: key hash (0 = free slot), fingerprint
    private long[] seen; // per slot: one bit, set once this input named the member
    private int[] lines; // per slot: the line of its first occurrence
    private int size;

    MemberIndex(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    /** The member's slot, added when new; valid until the next call. */
    int slot(long keyHash) {
        if ((size + 1) * 2 > lines.length) {
            grow();
        }
        long key = keyHash == 0 ? 1 : keyHash; // 0 marks a free slot
        int mask = lines.length - 1;
        for (int i = (int) (key ^ (key >>> 32)) & mask; ; i = (i + 1) & mask) {
            long held = table[2 * i];
            if (held == key) {
                return i;
            }
            if (held == 0) {
                table[2 * i] = key;
                size++;
                return i;
            }
        }
    }

    long fingerprint(int slot) {
        return table[2 * slot + 1];
    }

    void fingerprint(int slot, long fingerprint) {
        table[2 * slot + 1] = fingerprint;
    }

    /** The line this input first named the member on, or 0 when it has not yet. */
    long firstLine(int slot) {
        return (seen[slot >>> 6] & (1L << slot)) == 0 ? 0 : Integer.toUnsignedLong(lines[slot]);
    }

    void firstLine(int slot, long line) {
        seen[slot >>> 6] |= 1L << slot;
        lines[slot] = (int) Math.min(line, 0xFFFF_FFFFL);
    }

    int size() {
        return size;
    }

    private void allocate(int capacity) {
        table = new long[capacity * 2];
        seen = new long[Math.max(1, capacity >>> 6)];
        lines = new int[capacity];
        size = 0;
    }

    private void grow() {
        long[] oldTable = table;
        long[] oldSeen = seen;
        int[] oldLines = lines;
        allocate(oldLines.length * 2);
        for (int i = 0; i < oldLines.length; i++) {
            if (oldTable[2 * i] != 0) {
                int slot = slot(oldTable[2 * i]);
                table[2 * slot + 1] = oldTable[2 * i + 1];
                if ((oldSeen[i >>> 6] & (1L << i)) != 0) {
                    firstLine(slot, Integer.toUnsignedLong(oldLines[i]));
                }
            }
        }
    }
}
