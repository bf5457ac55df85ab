package com.membersync.channel;

import java.time.Duration;
import java.time.Instant;

/**
 * The request slots of rate-limit groups, shared by every process on one state store, so that feeds of one group in
 * separate processes (a CronJob per feed, the shards of an Indexed Job) together never exceed its budget. Slots are
 * kept on one clock, the ledger's own, so that processes whose clocks disagree still space their requests apart.
 */
public interface SlotLedger {

    /**
     * Reserves {@code count} request slots of {@code group}, {@code interval} apart, the first {@code interval} after
     * the last slot any process reserved before and no earlier than {@code earliest}; the next reservation's slots
     * come no earlier than {@code gap} after the last of these (on top of that reservation's own interval).
     *
     * @return when the first slot is, on this process's clock
     */
    Instant reserve(String group, Duration interval, int count, Instant earliest, Duration gap);

    /** No slot of {@code group}, for any process, before {@code until} (on this process's clock). */
    void pauseUntil(String group, Instant until);
}
