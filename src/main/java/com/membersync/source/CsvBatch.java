package com.membersync.source;

/**
 * Records scanned ahead of planning: where each lies in the file and what planning needs to know of it. The bytes
 * are not kept: a record that planning asks for is read again from the file, and most are never asked for.
 */
final class CsvBatch {

    /** After the last batch of the file. */
    static final CsvBatch END = new CsvBatch(0);

    private final long[] starts;
    private final int[] lengths;
    private final long[] afters;
    private final long[] lines;
    private final long[] nextLines;
    private final long[] keyHashes;
    private final long[] fingerprints;
    /** The parsed row of a record the scan could not fingerprint from its bytes alone; null for the others. */
    private final SourceRow[] rows;
    private int size;
    private Exception failure;

    CsvBatch(int capacity) {
        starts = new long[capacity];
        lengths = new int[capacity];
        afters = new long[capacity];
        lines = new long[capacity];
        nextLines = new long[capacity];
        keyHashes = new long[capacity];
        fingerprints = new long[capacity];
        rows = new SourceRow[capacity];
    }

    /** Scanning the file failed with {@code failure}. */
    static CsvBatch failed(Exception failure) {
        CsvBatch batch = new CsvBatch(0);
        batch.failure = failure;
        return batch;
    }

    /**
     * @param start  the record's file offset
     * @param length its length in bytes, without its line break
     * @param after  the next record's file offset
     */
    void add(long start, int length, long after, long line, long nextLine, long keyHash, long fingerprint,
            SourceRow row) {
        starts[size] = start;
        lengths[size] = length;
        afters[size] = after;
        lines[size] = line;
        nextLines[size] = nextLine;
        keyHashes[size] = keyHash;
        fingerprints[size] = fingerprint;
        rows[size] = row;
        size++;
    }

    int size() {
        return size;
    }

    Exception failure() {
        return failure;
    }

    long start(int i) {
        return starts[i];
    }

    int length(int i) {
        return lengths[i];
    }

    long after(int i) {
        return afters[i];
    }

    long line(int i) {
        return lines[i];
    }

    long nextLine(int i) {
        return nextLines[i];
    }

    long keyHash(int i) {
        return keyHashes[i];
    }

    long fingerprint(int i) {
        return fingerprints[i];
    }

    SourceRow row(int i) {
        return rows[i];
    }
}
