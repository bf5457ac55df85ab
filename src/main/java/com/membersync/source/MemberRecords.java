package com.membersync.source;

import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * A feed's input, one record at a time, with what planning needs to know of a record before it is parsed: its line,
 * the hash of its key and its {@link RowFingerprint}. A record whose fingerprint is the one its member was last
 * synced from is unchanged and never parsed. Restartable: {@link #update} saves the position after the current
 * record.
 */
public interface MemberRecords extends ItemStream {

    /** Moves to the next record; false at the end of the input. */
    boolean next();

    /** The physical line (CSV) or ordinal (query) where the current record starts. */
    long line();

    /** {@link RowFingerprint#ofKey} of the current record's key, or {@link RowFingerprint#NO_KEY}: parse it. */
    long keyHash();

    /** The current record's fingerprint (meaningless when {@link #keyHash} is {@link RowFingerprint#NO_KEY}). */
    long fingerprint();

    /** The current record, parsed. */
    SourceRow row();

    /**
     * The records before the one this reader, opened, starts at: unopened, a reader of their own. A plan resumed from
     * its checkpoint reads them again to know which members the input named before it (for duplicates and the
     * absent). None when this reader starts at the top.
     */
    MemberRecords earlier();
}
