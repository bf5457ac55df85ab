package com.membersync.feed;

import com.membersync.config.AccountSettings;
import com.membersync.config.ChangeLimit;
import com.membersync.config.FeedProperties;
import com.membersync.config.RateGroup;
import com.membersync.connector.VendorDefinition;
import com.membersync.source.RowFingerprint;
import com.membersync.state.StateScope;

/**
 * A configured feed with its account resolved and its settings checked.
 *
 * @param settings the settings of the account the feed writes to
 * @param group    the rate-limit group that account draws on
 */
public record FeedSpec(String name, FeedProperties properties, VendorDefinition vendor, AccountSettings settings,
        RateGroup group, ChangeLimit maxChanges, ChangeLimit maxRejected) {

    /** The account the feed writes to. */
    public String account() {
        return settings.account();
    }

    /** Whose cached state this feed works with: its own, at its account. */
    public StateScope scope() {
        return new StateScope(name, account());
    }

    /** Dry runs are job instances of their own, so they never disturb an interrupted run waiting to resume. */
    public String jobName(boolean dryRun) {
        return (dryRun ? "dryrun." : "feed.") + name;
    }

    /** A new fingerprinter of this feed's rows: the key and the vendor's fields, read in the feed's zone. */
    public RowFingerprint fingerprint() {
        return new RowFingerprint(vendor.keyField(), vendor.fields(), vendor.name() + '\u0000' + properties.zone());
    }
}
