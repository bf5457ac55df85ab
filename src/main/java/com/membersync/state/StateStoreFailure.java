package com.membersync.state;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/** Tells a failure of the state store (lost connection, failed commit or rollback) apart, and says so plainly. */
public final class StateStoreFailure {

    private StateStoreFailure() {}

    /** Whether the state store's failure caused {@code thrown}. */
    public static boolean causes(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException) {
                return true;
            }
        }
        return false;
    }

    /** What the operator reads: which setting, what the database said, and that a rerun resumes. */
    public static String message(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String said = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "the state store (spring.datasource.url) cannot be used: " + said + "; the next run resumes once it is back";
    }
}
