package com.membersync.feed;

import java.util.List;

/** What {@code run} was asked to do. */
public record RunOptions(List<String> feeds, boolean fullResync, boolean newRun, boolean dryRun, String maxChanges,
        boolean force) {

    public static RunOptions of(List<String> feeds) {
        return new RunOptions(feeds, false, false, false, null, false);
    }

    /** The same, to resume what an attempt of it left: {@code --new} has done its work by then. */
    public RunOptions resumed() {
        return new RunOptions(feeds, fullResync, false, dryRun, maxChanges, force);
    }
}
