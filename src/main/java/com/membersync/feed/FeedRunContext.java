package com.membersync.feed;

import java.time.Instant;
import java.util.List;

/** Identifies the feed run (the Spring Batch job instance) a job's steps work for; set when the job starts. */
public final class FeedRunContext {

    private final FeedSpec feed;
    private final long runId;
    private volatile long feedRunId = -1;
    private volatile Review review;

    /** What the review step decided: why the guard stopped the feed (null for a dry run), and a preview. */
    public record Review(String stoppedBecause, List<String> preview) {}

    /** An absent member, for a preview: its key, and when it was last synced. */
    public record Absentee(String key, Instant syncedAt) {}

    private volatile List<Absentee> absentees = List.of();

    private final boolean dryRun;

    public FeedRunContext(FeedSpec feed, long runId, boolean dryRun) {
        this.feed = feed;
        this.runId = runId;
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public FeedSpec feed() {
        return feed;
    }

    public long runId() {
        return runId;
    }

    public long feedRunId() {
        if (feedRunId < 0) {
            throw new IllegalStateException("the feed run of " + feed.name() + " has not started");
        }
        return feedRunId;
    }

    public void feedRunId(long id) {
        this.feedRunId = id;
    }

    /** The first absent members, when planning listed them (a dry run, or on-absent: deactivate). */
    public List<Absentee> absentees() {
        return absentees;
    }

    public void absentees(List<Absentee> first) {
        this.absentees = List.copyOf(first);
    }

    /** Null unless the review step held the plan back (dry run or mass-change guard). */
    public Review review() {
        return review;
    }

    public void review(Review review) {
        this.review = review;
    }
}
