package com.membersync.state;

import com.membersync.observability.Causes;
import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/** Tells a failure of the state store (lost connection, failed commit or rollback) apart, and says so plainly. */
public final class StateStoreFailure {

    private StateStoreFailure() {}

    /** Whether the state store's failure caused {@code thrown}. */
    public static boolean causes(Throwable thrown) {
        return Causes.chain(thrown).stream().anyMatch(t -> t instanceof SQLException || t instanceof DataAccessException
                || t instanceof TransactionException);
    }

    /** What the operator reads: which setting, what the database said, and that a rerun resumes. */
    public static String message(Throwable thrown) {
        return "the state store (spring.datasource.url) cannot be used: " + Causes.rootMessage(thrown)
                + "; the next run resumes once it is back";
    }
}
