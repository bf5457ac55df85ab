package com.membersync.job;

import com.membersync.config.ChangeLimit;
import com.membersync.config.FeedProperties;
import com.membersync.config.VendorSettings;
import com.membersync.vendor.VendorDefinition;

/** A configured feed with its vendor resolved and its settings checked. */
public record FeedSpec(String name, FeedProperties properties, VendorDefinition vendor, VendorSettings settings,
        ChangeLimit maxChanges, ChangeLimit maxRejected) {

    /** Dry runs are job instances of their own, so they never disturb an interrupted run waiting to resume. */
    public String jobName(boolean dryRun) {
        return (dryRun ? "dryrun." : "feed.") + name;
    }
}
