package com.membersync.state;

import com.membersync.connector.PlannedChange;

/** A change waiting in the outbox: what to send, and what kind of change it is. */
public record PendingChange(ChangeKind kind, PlannedChange change) {}
