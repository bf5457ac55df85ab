package com.membersync.state;

/** What {@code verify} found for one member. */
public enum CheckResult {
    /** Not checked yet. */
    PENDING,
    /** The vendor holds every managed field as member-sync last synced it. */
    IN_STEP,
    /** The vendor holds other values for some managed fields. */
    DRIFTED,
    /** The vendor no longer knows the member. */
    NOT_FOUND
}
