/**
 * The state store in PostgreSQL: the vendors' objects as last confirmed, the outbox, runs and their counts, row
 * failures, per-feed locks; and retrying what a conflict between feeds aborted.
 */
package com.membersync.state;
