package com.membersync.config;

/** {@code member-sync.feeds.<f>.on-absent}: what becomes of members synced before and missing from the input. */
public enum OnAbsent {
    /** Count them, send nothing (the default). */
    KEEP,
    /** Deactivate them at the vendor, once (Mayar: status inactive; Decoda: isArchived true). */
    DEACTIVATE
}
