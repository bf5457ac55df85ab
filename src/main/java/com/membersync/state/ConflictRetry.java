package com.membersync.state;

import com.membersync.observability.Causes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

/**
 * Transactions that PostgreSQL aborts because they met another one, a serialization failure (SQLSTATE 40001) or a
 * deadlock (40P01), succeed when they are tried again: feeds run side by side, in one process or several, on one
 * state store. Such a transaction is tried again a bounded number of times, with a log line each, before its
 * failure counts.
 */
@Component
public class ConflictRetry {

    private static final Logger log = LoggerFactory.getLogger(ConflictRetry.class);
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01");
    /** Attempts in all, the first included. */
    public static final int MAX_ATTEMPTS = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(20);

    /** The SQLSTATE of a transient conflict that caused {@code thrown}, if one did. */
    public static Optional<String> transientState(Throwable thrown) {
        for (Throwable t : Causes.chain(thrown)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && TRANSIENT.contains(sql.getSQLState())) {
                return Optional.of(sql.getSQLState());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Optional<String> state = transientState(suppressed);
                if (state.isPresent()) {
                    return state;
                }
            }
        }
        return Optional.empty();
    }

    /** What the log line says of a conflict, e.g. {@code a serialization failure (SQLSTATE 40001)}. */
    public static String describe(String sqlState) {
        return (sqlState.equals("40P01") ? "a deadlock" : "a serialization failure") + " (SQLSTATE " + sqlState + ")";
    }

    /**
     * Spring's retry, with the policy above: only conflicts are tried again, after 20 ms, doubling, with jitter so
     * that the two transactions that met do not meet again.
     */
    private final RetryTemplate template;

    public ConflictRetry() {
        template = new RetryTemplate(RetryPolicy.builder().maxRetries(MAX_ATTEMPTS - 1).delay(FIRST_PAUSE)
                .multiplier(2).jitter(FIRST_PAUSE.dividedBy(2)).predicate(t -> transientState(t).isPresent()).build());
        template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                log.warn("the state store aborted {} on {}, as it met another transaction; trying again ({} of {})",
                        retryable.getName(), transientState(state.getLastException()).map(ConflictRetry::describe)
                                .orElse("a conflict"), state.getRetryCount() + 1, MAX_ATTEMPTS);
            }
        });
    }

    /**
     * Runs {@code work}, one transaction of its own (or none), again when the state store aborted it for a
     * conflict; {@code what} names it in the log line. Any other failure, or a conflict on the last attempt, is
     * thrown as it was.
     */
    public <T> T call(String what, Supplier<T> work) {
        try {
            return template.execute(new Retryable<T>() {
                @Override
                public T execute() {
                    return work.get();
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            Throwable last = e.getLastException();
            if (last instanceof RuntimeException failure) {
                throw failure;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(last);
        }
    }

    public void run(String what, Runnable work) {
        call(what, () -> {
            work.run();
            return null;
        });
    }
}
