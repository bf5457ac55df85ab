package com.membersync.source;

import com.membersync.config.ConfigurationProblem;
import com.membersync.config.SourceProperties;
import com.membersync.observability.Causes;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The members' database that query feeds read ({@code member-sync.source.*}). A pool of its own, opened only when
 * a query feed first needs it and closed with the application; deliberately not a {@code DataSource} bean, so
 * Spring Boot's auto-configured state store stays the one and only DataSource. Every connection is read-only.
 */
public class SourceDatabase implements AutoCloseable {

    static final String URL_SETTING = "member-sync.source.url";

    private final SourceProperties properties;
    private HikariDataSource pool;

    SourceDatabase(SourceProperties properties) {
        this.properties = properties;
    }

    /** The query's columns as a layout (like a CSV header), checked before anything is sent. */
    public ColumnLayout columns(String feed, String query, Map<String, String> columns) {
        return describe(feed, query, columns).layout();
    }

    public QueryMemberReader reader(String feed, String query, Map<String, String> columns, String keyField,
            int pageSize) {
        return new QueryMemberReader(this, feed, query, columns, keyField, pageSize);
    }

    /** The query's rows with their fingerprints, for planning. */
    public MemberRecords records(String feed, String query, Map<String, String> columns, String keyField, int pageSize,
            RowFingerprint fingerprints) {
        return new ParsedRecords(reader(feed, query, columns, keyField, pageSize), fingerprints);
    }

    /** The query's column names and types, from running it wrapped to return no rows. */
    QueryShape describe(String feed, String query, Map<String, String> columns) {
        try (Connection connection = dataSource().getConnection()) {
            try (var statement = connection.prepareStatement(
                    "SELECT * FROM (" + QueryShape.strip(query) + ") q WHERE 1 = 0");
                    var rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                String[] names = new String[meta.getColumnCount()];
                List<SqlValues.Kind> kinds = new ArrayList<>();
                int[] sqlTypes = new int[names.length];
                for (int i = 1; i <= names.length; i++) {
                    names[i - 1] = meta.getColumnLabel(i);
                    sqlTypes[i - 1] = meta.getColumnType(i);
                    kinds.add(SqlValues.Kind.of(sqlTypes[i - 1], meta.getColumnTypeName(i)));
                }
                return new QueryShape(query, ColumnLayout.of(names, columns), names, kinds, sqlTypes);
            } finally {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            throw problem(feed, e);
        }
    }

    synchronized DataSource dataSource() {
        if (pool == null) {
            if (!properties.configured()) {
                throw new ConfigurationProblem(URL_SETTING, "no source database is configured for query feeds");
            }
            try {
                DriverManager.getDriver(properties.url());
            } catch (SQLException noDriver) {
                // Named without repeating the URL, whose parameters may hold a password.
                throw new ConfigurationProblem(URL_SETTING, "the source database URL is not one a JDBC driver here"
                        + " accepts (expected e.g. jdbc:postgresql://host:5432/crm)");
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("member-sync-source");
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.username());
            config.setPassword(properties.password());
            // Read-only at the connection: PostgreSQL's driver then opens every transaction READ ONLY, so not even
            // a side-effecting function in a feed's query can write to the members' database.
            config.setReadOnly(true);
            config.setAutoCommit(false);
            config.setMaximumPoolSize(4); // one page query per feed at a time; feeds run side by side
            config.setMinimumIdle(0);
            config.setConnectionTimeout(10_000);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    /**
     * What an operator can act on. Unreachable (network, database restarting): exit 1, a later run works. Refused
     * login, unknown database, unusable URL or a query the database rejects: exit 78, naming the setting.
     */
    static RuntimeException problem(String feed, Exception e) {
        if (e instanceof ConfigurationProblem || e instanceof SourceUnavailable) {
            return (RuntimeException) e;
        }
        SQLException sql = Causes.chain(e).stream()
                .filter(t -> t instanceof SQLException s && s.getSQLState() != null).map(SQLException.class::cast)
                .findFirst().orElse(null);
        String state = sql == null ? "" : sql.getSQLState();
        String reason = firstLine(sql != null ? sql.getMessage() : Causes.rootMessage(e));
        String prefix = "feed " + feed + ": ";
        if (state.startsWith("28")) {
            return new ConfigurationProblem("member-sync.source.username",
                    prefix + "the source database refused the login: " + reason + "; check member-sync.source.username and password");
        }
        if (state.equals("3D000")) {
            return new ConfigurationProblem(URL_SETTING, prefix + "the source database does not exist: " + reason);
        }
        if (sql == null && e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.isEmpty()) {
            SourceUnavailable unavailable = new SourceUnavailable(prefix + "cannot reach the source database ("
                    + URL_SETTING + "): " + reason + "; nothing was sent, run again once it is reachable");
            unavailable.addSuppressed(e);
            return unavailable;
        }
        return new ConfigurationProblem("member-sync.feeds." + feed + ".query",
                prefix + "the source database rejected the query: " + reason);
    }

    /** PostgreSQL's messages carry details (sometimes row values) on later lines: only the first is shown. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /**
     * The source database cannot be reached: the run fails (exit 1) and a later one works. Carries no cause, so
     * it is not mistaken for the state store being down.
     */
    public static final class SourceUnavailable extends RuntimeException {
        SourceUnavailable(String message) {
            super(message);
        }
    }
}
