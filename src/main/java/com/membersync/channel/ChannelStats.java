package com.membersync.channel;

import com.membersync.config.AccountSettings;
import com.membersync.config.RateGroup;
import java.util.concurrent.atomic.LongAdder;

/** What one account's channel did during a run; shown in the summary, the report and the benchmark. */
public final class ChannelStats {

    private final AccountSettings account;
    private final RateGroup group;

    ChannelStats(AccountSettings account, RateGroup group) {
        this.account = account;
        this.group = group;
    }

    public String vendor() {
        return account.vendor();
    }

    /** What the channel sent, second by second. */
    public Timeline timeline() {
        return timeline;
    }

    /** The rate-limit group the account drew on, and its budget. */
    public RateGroup group() {
        return group;
    }

    final LongAdder requests = new LongAdder();
    final LongAdder tooManyRequests = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder connectionErrors = new LongAdder();
    final LongAdder foreignAnswers = new LongAdder();
    final Timeline timeline = new Timeline();

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

    /** Answers that were not the vendor's: another content type, an empty body, JSON of another shape, a redirect. */
    public long foreignAnswers() {
        return foreignAnswers.sum();
    }
}
