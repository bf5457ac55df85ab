package com.membersync.connector;

/** Sends planned changes to one vendor. Implementations are thread-safe: a feed delivers concurrently. */
public interface VendorClient {

    DeliveryOutcome deliver(PlannedChange change) throws InterruptedException;
}
