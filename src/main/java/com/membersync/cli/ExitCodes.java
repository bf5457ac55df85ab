package com.membersync.cli;

import com.membersync.config.ConfigurationProblem;
import com.membersync.feed.FeedCatalog;
import com.membersync.observability.Causes;
import com.membersync.source.InputFiles;
import com.membersync.source.InputProblem;
import com.membersync.state.FeedLocks;
import com.membersync.state.StateStoreFailure;
import java.sql.SQLException;
import org.springframework.boot.context.config.ConfigDataResourceNotFoundException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** The exit codes of CONTRACT.md, and which failure maps to which. */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int REJECTED = 2;
    static final int GUARDED = 3;
    static final int DRIFT = 4;
    static final int USAGE = 64;
    static final int NO_INPUT = 66;
    static final int LOCKED = 75;
    static final int CONFIG = 78;

    private ExitCodes() {}

    /** An operator-facing message and exit code for a failure that ended a command. */
    record Failure(int code, String message) {}

    /** Whether {@link #of} has words of its own for {@code thrown}, rather than the root cause's message. */
    static boolean explains(Throwable thrown) {
        return known(thrown) != null;
    }

    static Failure of(Throwable thrown) {
        Failure known = known(thrown);
        return known != null ? known : new Failure(FAILED, Causes.rootMessage(thrown));
    }

    private static Failure known(Throwable thrown) {
        for (Throwable t : Causes.chain(thrown)) {
            if (t instanceof ConfigurationProblem || t instanceof InputFiles.MissingColumns) {
                return new Failure(CONFIG, t.getMessage());
            }
            if (t instanceof BindException bind) {
                String cause = bind.getCause() == null ? "" : ": " + Causes.rootMessage(bind.getCause());
                return new Failure(CONFIG, "invalid setting " + bind.getProperty().getName() + " = '"
                        + bind.getProperty().getValue() + "'" + cause);
            }
            if (t instanceof ConfigDataResourceNotFoundException missing) {
                // spring.config.import names a file or folder (a mounted Secret's config tree) that is not there
                return new Failure(CONFIG, "spring.config.import: " + missing.getMessage());
            }
            if (t instanceof BindValidationException v) {
                return new Failure(CONFIG, "invalid settings: " + v.getMessage());
            }
            if (t instanceof InputProblem) {
                return new Failure(NO_INPUT, t.getMessage());
            }
            if (t instanceof FeedLocks.FeedBusy) {
                return new Failure(LOCKED, t.getMessage());
            }
            if (t instanceof FeedCatalog.UnknownFeed) {
                return new Failure(USAGE, t.getMessage());
            }
            if (t instanceof SQLException || t instanceof CannotGetJdbcConnectionException) {
                return new Failure(FAILED, StateStoreFailure.message(t));
            }
        }
        return null;
    }
}
