package com.membersync.channel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that only moves when the code under test sleeps. */
class FakeTime extends Clock {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    Instant now = START;

    @Override
    public ZoneOffset getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    void sleep(Duration d) {
        now = now.plus(d);
    }
}
