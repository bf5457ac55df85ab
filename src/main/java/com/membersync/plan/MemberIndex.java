package com.membersync.plan;

/**
 * What planning needs to know per member, by key hash: the fingerprint of the row its cached state was synced
 * from, until this input names the member; from then on the line where it did, to name in a duplicate's rejection.
 * One flat array, open addressing with linear probing, at most half full: a million members take 32 MB where a
 * {@code HashMap<String, ...>} would take well over 100 MB, and a row costs one probe (one cache line). Whether a
 * member was named yet is a bit in a set small enough to stay in the CPU cache; so is whether the state store
 * holds it as active (synced, and not deactivated): such a member that the input never names is absent.
 */
final class MemberIndex {

    /** Fingerprint of a member without one (not synced, or synced before fingerprints were kept). */
    static final long UNKNOWN = 0;
    private static final int BATCH = 64;

    private long[] table; // per slot: key hash (0 = free slot), then the fingerprint or, once seen, the first line
    private long[] seen; // per slot: one bit, set once this input named the member
    private long[] active; // per slot: one bit, set when the state store holds the member as active
    private int size;
    private final long[] loadingKeys = new long[BATCH];
    private final long[] loadingFingerprints = new long[BATCH];
    private final boolean[] loadingActive = new boolean[BATCH];
    private int loading;
    private long touched; // keeps the look-ahead loads of loaded() from being optimised away

    MemberIndex(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    /** The member's slot, added when new; valid until the next call. */
    int slot(long keyHash) {
        if ((size + 1) * 4 > table.length) {
            grow();
        }
        long key = keyHash == 0 ? 1 : keyHash; // 0 marks a free slot
        int mask = (table.length >>> 1) - 1;
        for (int i = home(key, mask); ; i = (i + 1) & mask) {
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

    /**
     * Adds a member as the cached state knows it: its fingerprint ({@link #UNKNOWN} for none), and whether it is
     * active (not deactivated); {@link #loaded()} ends the loading. Members are put in batches whose slot lookups are
     * independent loads: the CPU fetches their cache lines in parallel.
     */
    void load(long keyHash, long fingerprint, boolean isActive) {
        loadingKeys[loading] = keyHash;
        loadingFingerprints[loading] = fingerprint;
        loadingActive[loading] = isActive;
        if (++loading == BATCH) {
            loaded();
        }
    }

    /** Puts the members {@link #load} still holds. */
    void loaded() {
        if ((size + loading) * 4 > table.length) {
            grow();
        }
        int mask = (table.length >>> 1) - 1;
        long sum = 0;
        for (int j = 0; j < loading; j++) {
            sum += table[2 * home(loadingKeys[j] == 0 ? 1 : loadingKeys[j], mask)];
        }
        touched += sum;
        for (int j = 0; j < loading; j++) {
            int slot = slot(loadingKeys[j]);
            table[2 * slot + 1] = loadingFingerprints[j];
            if (loadingActive[j]) {
                active[slot >>> 6] |= 1L << slot;
            }
        }
        loading = 0;
    }

    long fingerprint(int slot) {
        return table[2 * slot + 1];
    }

    void fingerprint(int slot, long fingerprint) {
        table[2 * slot + 1] = fingerprint;
    }

    /** The line this input first named the member on, or 0 when it has not yet. */
    long firstLine(int slot) {
        return (seen[slot >>> 6] & (1L << slot)) == 0 ? 0 : table[2 * slot + 1];
    }

    /** Records that this input names the member first on {@code line}; returns the fingerprint it had. */
    long see(int slot, long line) {
        long fingerprint = table[2 * slot + 1];
        seen[slot >>> 6] |= 1L << slot;
        table[2 * slot + 1] = line;
        return fingerprint;
    }

    int size() {
        return size;
    }

    /** Active members of the state store that this input has not named (so far). */
    long absent() {
        long absent = 0;
        for (int i = 0; i < active.length; i++) {
            absent += Long.bitCount(active[i] & ~seen[i]);
        }
        return absent;
    }

    /** Whether the member of this key is active in the state store and not named by this input (so far). */
    boolean absent(long keyHash) {
        long key = keyHash == 0 ? 1 : keyHash;
        int mask = (table.length >>> 1) - 1;
        for (int i = home(key, mask); ; i = (i + 1) & mask) {
            long held = table[2 * i];
            if (held == key) {
                return (active[i >>> 6] & ~seen[i >>> 6] & (1L << i)) != 0;
            }
            if (held == 0) {
                return false;
            }
        }
    }

    private static int home(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    private void allocate(int capacity) {
        table = new long[capacity * 2];
        seen = new long[Math.max(1, capacity >>> 6)];
        active = new long[seen.length];
        size = 0;
    }

    private void grow() {
        long[] oldTable = table;
        long[] oldSeen = seen;
        long[] oldActive = active;
        allocate(oldTable.length); // twice the slots
        for (int i = 0; i < oldTable.length / 2; i++) {
            if (oldTable[2 * i] != 0) {
                int slot = slot(oldTable[2 * i]);
                table[2 * slot + 1] = oldTable[2 * i + 1];
                if ((oldSeen[i >>> 6] & (1L << i)) != 0) {
                    seen[slot >>> 6] |= 1L << slot;
                }
                if ((oldActive[i >>> 6] & (1L << i)) != 0) {
                    active[slot >>> 6] |= 1L << slot;
                }
            }
        }
    }
}
