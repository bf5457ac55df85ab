package com.membersync.channel;

import com.membersync.config.AccountSettings;
import java.time.Duration;

/**
 * Told what a {@link VendorChannel} does, for metrics. Called on the sending thread, so implementations must be
 * quick and thread-safe; they only ever see the account's settings and the HTTP status, never a request or an answer.
 */
public interface ChannelObserver {

    /** Observes nothing: channels built without an observer (tests, benchmarks). */
    ChannelObserver NONE = new ChannelObserver() {};

    /** Status of an attempt that got no answer before the deadline. */
    String TIMEOUT = "timeout";
    /** Status of an attempt that got no answer because the connection failed. */
    String IO_ERROR = "io_error";

    /**
     * One HTTP attempt ended, retries counting separately.
     *
     * @param status the HTTP status code, or {@link #TIMEOUT} / {@link #IO_ERROR}
     */
    default void attempted(AccountSettings account, String status, Duration elapsed) {}

    /** The vendor answered 429; the account's whole rate-limit group waits before the next request. */
    default void rateLimited(AccountSettings account) {}

    /** An answer was not the vendor's (a proxy's page, an empty body, JSON of another shape): a failed attempt. */
    default void foreignAnswer(AccountSettings account) {}

    /** An attempt failed (5xx, timeout, lost connection) and is about to be tried again after a backoff. */
    default void retrying(AccountSettings account) {}
}
