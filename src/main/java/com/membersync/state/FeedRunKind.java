package com.membersync.state;

/** What a feed run does. */
public enum FeedRunKind {
    /** Syncs the feed's input ({@code run}). */
    SYNC,
    /** Sends the synced values back to members whose vendor record drifted ({@code verify --repair}). */
    REPAIR
}
