package com.membersync.feed;

import com.membersync.config.ChangeLimit;
import com.membersync.config.FeedProperties;
import com.membersync.config.VendorSettings;
import com.membersync.connector.VendorDefinition;
import com.membersync.source.RowFingerprint;

/** A configured feed with its vendor resolved and its settings checked. */
public record FeedSpec(String name, FeedProperties properties, VendorDefinition vendor, VendorSettings settings,
        ChangeLimit maxChanges, ChangeLimit maxRejected) {

    /** Dry runs are job instances of their own, so they never disturb an interrupted run waiting to resume. */
    public String jobName(boolean dryRun) {
        return (dryRun ? "dryrun." : "feed.") + name;
    }

    /** A new fingerprinter of this feed's rows: the key and the vendor's fields, read in the feed's zone. */
    public RowFingerprint fingerprint() {
        return new RowFingerprint(vendor.keyField(), vendor.fields(), vendor.name() + '\u0000' + properties.zone());
    }
}
