package com.membersync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * One runner per feed, across processes and pods: a PostgreSQL session-level advisory lock per feed, held on
 * a connection of its own for the whole run. A process that dies loses its connection and with it the lock, so
 * a lock is never left behind. (The embedded H2 store can only be opened by one process at a time anyway.)
 */
@Component
public class FeedLocks {

    private final DataSource dataSource;

    FeedLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Held locks; closing releases them. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock of every feed, or none.
     *
     * @throws FeedBusy when another run holds one of them
     */
    public Held acquire(Collection<String> feeds) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
            if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                connection.close();
                return () -> {};
            }
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the state store to lock the feeds: " + e.getMessage(), e);
        }
        try {
            for (String feed : feeds) {
                // Keyed by schema too: deployments sharing a database in schemas of their own never block each other.
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT pg_try_advisory_lock(hashtextextended('member-sync:' || current_schema() || ':' || ?, 0))")) {
                    statement.setString(1, feed);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            throw new FeedBusy(feed);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot lock the feeds: " + e.getMessage(), e);
        } catch (FeedBusy e) {
            closeQuietly(connection);
            throw e;
        }
        return () -> closeQuietly(connection);
    }

    /** Releases the locks before the connection goes back to the pool, where its session lives on. */
    private static void closeQuietly(Connection connection) {
        try (connection; var statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock_all()");
        } catch (SQLException ignored) {
            // the connection is gone, and its session's locks with it
        }
    }

    /** Another run of this feed is in progress: exit 75, nothing done. */
    public static final class FeedBusy extends RuntimeException {
        public FeedBusy(String feed) {
            super("another run of feed " + feed + " is in progress; nothing was done");
        }
    }
}
