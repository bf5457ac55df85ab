package com.membersync.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one account's channel did, second by second: requests sent, 429s answered, time the account's rate-limit group
 * was paused, and the limit it was paced at. For the page of a run ({@code --report-html}) and its metrics.
 */
public final class Timeline {

    /** One second of the run: its start, in epoch seconds, and what happened in it. */
    public record Second(long epochSecond, int requests, int tooManyRequests, long pausedMillis, double limitPerSecond) {}

    private static final class Bucket {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger tooMany = new AtomicInteger();
        final AtomicLong pausedMillis = new AtomicLong();
        volatile double limit;
    }

    private final ConcurrentSkipListMap<Long, Bucket> seconds = new ConcurrentSkipListMap<>();

    void sent(Instant at, double limitPerSecond) {
        Bucket bucket = bucket(at);
        bucket.requests.incrementAndGet();
        bucket.limit = limitPerSecond;
    }

    void tooManyRequests(Instant at) {
        bucket(at).tooMany.incrementAndGet();
    }

    /** The group was paused from {@code from} for {@code wait}: the time is counted in each second it covers. */
    void paused(Instant from, Duration wait) {
        Instant until = from.plus(wait);
        for (Instant at = from; at.isBefore(until); ) {
            Instant next = Instant.ofEpochSecond(at.getEpochSecond() + 1);
            Instant end = next.isBefore(until) ? next : until;
            bucket(at).pausedMillis.addAndGet(Duration.between(at, end).toMillis());
            at = end;
        }
    }

    private Bucket bucket(Instant at) {
        return seconds.computeIfAbsent(at.getEpochSecond(), second -> new Bucket());
    }

    /** Every second from the first to the last with something in it, quiet ones included, in order. */
    public List<Second> seconds() {
        List<Second> all = new ArrayList<>();
        if (seconds.isEmpty()) {
            return all;
        }
        double limit = 0;
        for (long second = seconds.firstKey(); second <= seconds.lastKey(); second++) {
            Bucket bucket = seconds.get(second);
            if (bucket != null && bucket.limit > 0) {
                limit = bucket.limit;
            }
            all.add(bucket == null ? new Second(second, 0, 0, 0, limit) : new Second(second, bucket.requests.get(),
                    bucket.tooMany.get(), bucket.pausedMillis.get(), limit));
        }
        return all;
    }
}
