package com.membersync.state;

/** Where a planned change stands. */
public enum ChangeStatus {
    PENDING, SYNCED, REFUSED, FAILED
}
