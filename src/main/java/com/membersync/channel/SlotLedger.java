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
     * Reserves {@code count} request slots of {@code group}, {@code interval} apart, after every slot any process
     * reserved before, the first no earlier than {@code earliest}.
     *
     * @return when the first slot is, on this process's clock
     */
    Instant reserve(String group, Duration interval, int count, Instant earliest);

    /** No slot of {@code group}, for any process, before {@code until} (on this process's clock). */
    void pauseUntil(String group, Instant until);
}
