package com.membersync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;

class ConflictRetryTests {

    private final ConflictRetry retry = new ConflictRetry();
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void aTransactionAbortedForASerializationFailureOrADeadlockIsTriedAgainUntilItSucceeds() {
        String result = retry.call("a test transaction", () -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw conflict("40001");
            }
            if (call == 2) {
                throw conflict("40P01");
            }
            return "committed";
        });

        assertThat(result).isEqualTo("committed");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aConflictThatPersistsFailsAfterTheBoundedNumberOfAttempts() {
        assertThatThrownBy(() -> retry.run("a test transaction", () -> {
            calls.incrementAndGet();
            throw conflict("40001");
        })).isInstanceOf(CannotAcquireLockException.class);

        assertThat(calls).hasValue(ConflictRetry.MAX_ATTEMPTS);
    }

    @Test
    void anyOtherFailureIsNotTriedAgain() {
        assertThatThrownBy(() -> retry.run("a test transaction", () -> {
            calls.incrementAndGet();
            throw new DataAccessResourceFailureException("connection lost", new SQLException("gone", "08006"));
        })).isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(calls).hasValue(1);
    }

    @Test
    void theConflictIsFoundWhereverItSitsInTheCauses() {
        RuntimeException wrapped = new IllegalStateException("step failed", conflict("40P01"));

        assertThat(ConflictRetry.transientState(wrapped)).contains("40P01");
        assertThat(ConflictRetry.transientState(new IllegalStateException("no"))).isEmpty();
        assertThat(ConflictRetry.describe("40P01")).isEqualTo("a deadlock (SQLSTATE 40P01)");
    }

    private static RuntimeException conflict(String sqlState) {
        return new CannotAcquireLockException("JDBC commit", new SQLException("could not serialize access", sqlState));
    }
}
