package com.membersync.channel;

import java.util.concurrent.atomic.LongAdder;

/** What one vendor channel did during a run; shown in the summary and the benchmark. */
public final class ChannelStats {

    final LongAdder requests = new LongAdder();
    final LongAdder tooManyRequests = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder connectionErrors = new LongAdder();

    public long requests() {
        return requests.sum();
    }

    public long tooManyRequests() {
        return tooManyRequests.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long serverErrors() {
        return serverErrors.sum();
    }

    public long connectionErrors() {
        return connectionErrors.sum();
    }
}
