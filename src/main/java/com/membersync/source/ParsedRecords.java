package com.membersync.source;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/** A query's rows as {@link MemberRecords}, fingerprinted from their cells. */
final class ParsedRecords implements MemberRecords {

    private final QueryMemberReader rows;
    private final RowFingerprint fingerprints;
    private SourceRow row;
    private long keyHash;
    private long fingerprint;

    ParsedRecords(QueryMemberReader rows, RowFingerprint fingerprints) {
        this.rows = rows;
        this.fingerprints = fingerprints;
    }

    @Override
    public boolean next() {
        row = rows.read();
        if (row == null) {
            return false;
        }
        keyHash = fingerprints.keyOf(row);
        fingerprint = fingerprints.of(row);
        return true;
    }

    @Override
    public long line() {
        return row.line();
    }

    @Override
    public long keyHash() {
        return keyHash;
    }

    @Override
    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public SourceRow row() {
        return row;
    }

    @Override
    public MemberRecords earlier() {
        return new ParsedRecords(rows.earlier(), fingerprints);
    }

    @Override
    public void open(ExecutionContext context) {
        rows.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        rows.update(context);
    }

    @Override
    public void close() {
        rows.close();
    }
}
