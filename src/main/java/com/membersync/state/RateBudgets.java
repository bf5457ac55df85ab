package com.membersync.state;

import com.membersync.channel.SlotLedger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rate-limit groups' request slots in the state store, shared by every process using it ({@link SlotLedger}).
 * Each group has one row: its last slot handed out and the earliest the next may be, on the database's clock.
 * Reserving slots moves it on in one statement,
 * so processes never hand out the same slot, and pods whose clocks disagree still space their requests apart: each
 * turns a slot into a wait measured on the database's clock.
 *
 * <p>The embedded store serves one process at a time, so there nothing is shared and requests are paced locally.
 */
@Repository
public class RateBudgets implements SlotLedger {

    /**
     * The database's clock, in microseconds, read where it is written: in an UPDATE's SET, once the row is locked (a
     * process that waited for another's reservation reads it after the wait), and again in RETURNING, right before the
     * answer leaves. The CTE of a statement would read it before the wait, and make the wait look like the slot's.
     */
    private static final String NOW_US = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ConflictRetry retry;
    private final Clock clock;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile Boolean shared;

    RateBudgets(JdbcTemplate jdbc, PlatformTransactionManager transactions, ConflictRetry retry, Clock clock) {
        this.jdbc = jdbc;
        this.retry = retry;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        // One row per group that every process updates: READ COMMITTED waits for the other's update and goes on from
        // it, where a stricter default isolation would abort one of the two.
        this.transaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    /** This ledger where the state store is shared by processes (PostgreSQL); empty for the embedded store. */
    public Optional<SlotLedger> ledger() {
        if (shared == null) {
            shared = jdbc.execute((ConnectionCallback<Boolean>) RateBudgets::isPostgreSql);
        }
        return shared ? Optional.of(this) : Optional.empty();
    }

    private static Boolean isPostgreSql(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * The first slot is one interval of this process's pace after the group's last, so that a process that learns a
     * faster pace (an announced limit) spaces its first request by it, not by the cautious one it started at.
     */
    @Override
    public Instant reserve(String group, Duration interval, int count, Instant earliest, Duration gap) {
        long step = micros(interval);
        long tail = step * (count - 1) + micros(gap);
        long delay = Math.max(0, micros(Duration.between(clock.instant(), earliest)));
        create(group);
        // The wait is measured from the moment the answer arrived, not after the commit: a slow commit must not make
        // this process send late in a schedule other processes keep to.
        return retry.call("reserving request slots of rate-limit group " + group, () -> transaction.execute(tx -> {
            long[] slot = jdbc.queryForObject("UPDATE rate_budget SET last_us = GREATEST(last_us + ?, not_before_us, "
                    + NOW_US + " + ?) + ? WHERE group_name = ? RETURNING last_us - ?, " + NOW_US,
                    (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, step, delay, tail, group, tail);
            return clock.instant().plus(slot[0] - slot[1], ChronoUnit.MICROS);
        }));
    }

    @Override
    public void pauseUntil(String group, Instant until) {
        long delay = Math.max(0, micros(Duration.between(clock.instant(), until)));
        create(group);
        retry.run("pausing rate-limit group " + group, () -> transaction.executeWithoutResult(tx -> jdbc.update(
                "UPDATE rate_budget SET not_before_us = GREATEST(not_before_us, " + NOW_US + " + ?) WHERE group_name = ?",
                delay, group)));
    }

    /** The group's row, created once per process: a slot 0 is as good as none. */
    private void create(String group) {
        if (!known.contains(group)) {
            retry.run("creating rate-limit group " + group, () -> jdbc.update(
                    "INSERT INTO rate_budget (group_name, last_us, not_before_us) VALUES (?, 0, 0)"
                            + " ON CONFLICT (group_name) DO NOTHING", group));
            known.add(group);
        }
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }
}
