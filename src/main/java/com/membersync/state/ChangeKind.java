package com.membersync.state;

/** What a change in the outbox does at the vendor. */
public enum ChangeKind {
    /** A member's row synced: its managed fields as the input has them. */
    SYNC,
    /** The values member-sync last synced, sent back to a member whose vendor record drifted ({@code verify --repair}). */
    REPAIR,
    /** An absent member deactivated ({@code on-absent: deactivate}). */
    DEACTIVATE
}
