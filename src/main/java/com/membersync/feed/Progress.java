package com.membersync.feed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress line every few seconds on long runs: while planning, rows checked and rate; while delivering,
 * changes sent, rate and time left.
 */
public final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);
    private static final Duration EVERY = Duration.ofSeconds(5);

    private final String feed;
    private final Clock clock;
    private final ProgressBar bar;
    private final AtomicLong planned = new AtomicLong();
    private volatile Instant planStarted;
    private volatile Instant lastPlanLine;
    private final AtomicLong delivered = new AtomicLong();
    private volatile long total;
    private volatile Work work = Work.SENDING;
    private volatile Instant started;
    private volatile Instant lastLine;

    public Progress(String feed, Clock clock, ProgressBar bar) {
        this.feed = feed;
        this.clock = clock;
        this.bar = bar;
    }

    public void planned(long rows) {
        Instant now = clock.instant();
        if (planStarted == null) {
            planStarted = now;
            lastPlanLine = now;
        }
        long done = planned.addAndGet(rows);
        double rate = rate(done, planStarted, now);
        bar.planning(feed, done, rate);
        if (Duration.between(lastPlanLine, now).compareTo(EVERY) >= 0) {
            lastPlanLine = now;
            log.info("{}: {} rows checked ({} rows/s)", feed, done, Math.round(rate));
        }
    }

    /** What the second phase counts: changes sent (a run), or members checked (verify). */
    public enum Work {
        SENDING("changes", "sent"), CHECKING("members", "checked");

        private final String what;
        private final String done;

        Work(String what, String done) {
            this.what = what;
            this.done = done;
        }
    }

    /** Starts counting {@code total} units of {@code work}. */
    public void begin(long total, Work work) {
        this.work = work;
        this.total = total;
        this.started = clock.instant();
        this.lastLine = started;
    }

    public void delivered(long n) {
        long done = delivered.addAndGet(n);
        Instant now = clock.instant();
        Instant last = lastLine;
        if (last == null) {
            return;
        }
        double rate = rate(done, started, now);
        bar.delivering(feed, done, total, rate, work.done);
        if (Duration.between(last, now).compareTo(EVERY) >= 0) {
            lastLine = now;
            long left = Math.max(0, total - done);
            log.info("{}: {} of {} {} {} ({} /s, about {} s left)", feed, done, total, work.what, work.done,
                    String.format(Locale.ROOT, "%.1f", rate), rate > 0 ? Math.round(left / rate) : "?");
        }
    }

    /** Per second since {@code since}. */
    private static double rate(long done, Instant since, Instant now) {
        return done / Math.max(0.001, Duration.between(since, now).toMillis() / 1000.0);
    }
}
