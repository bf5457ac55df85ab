package com.membersync.job;

/** Identifies the feed run (the Spring Batch job instance) a job's steps work for; set when the job starts. */
final class FeedRunContext {

    private final FeedSpec feed;
    private final long runId;
    private volatile long feedRunId = -1;
    private volatile Review review;

    /** What the review step decided: why the guard stopped the feed (null for a dry run), and a preview. */
    record Review(String stoppedBecause, java.util.List<String> preview) {}

    private final boolean dryRun;

    FeedRunContext(FeedSpec feed, long runId, boolean dryRun) {
        this.feed = feed;
        this.runId = runId;
        this.dryRun = dryRun;
    }

    boolean dryRun() {
        return dryRun;
    }

    FeedSpec feed() {
        return feed;
    }

    long runId() {
        return runId;
    }

    long feedRunId() {
        if (feedRunId < 0) {
            throw new IllegalStateException("the feed run of " + feed.name() + " has not started");
        }
        return feedRunId;
    }

    void feedRunId(long id) {
        this.feedRunId = id;
    }

    /** Null unless the review step held the plan back (dry run or mass-change guard). */
    Review review() {
        return review;
    }

    void review(Review review) {
        this.review = review;
    }
}
