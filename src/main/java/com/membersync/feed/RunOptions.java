package com.membersync.feed;

import java.util.List;

/**
 * What {@code run} was asked to do.
 *
 * @param feeds the feeds named with {@code --feed} (none: every feed, or those of {@code shard})
 * @param shard the shard to run ({@code --shard I/N}), or null
 */
public record RunOptions(List<String> feeds, Shard shard, boolean fullResync, boolean newRun, boolean dryRun,
        String maxChanges, boolean force) {

    public static RunOptions of(List<String> feeds) {
        return new RunOptions(feeds, null, false, false, false, null, false);
    }

    /** The same, to resume what an attempt of it left: {@code --new} has done its work by then. */
    public RunOptions resumed() {
        return new RunOptions(feeds, shard, fullResync, false, dryRun, maxChanges, force);
    }
}
