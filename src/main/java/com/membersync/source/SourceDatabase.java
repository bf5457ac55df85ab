package com.membersync.source;

import com.membersync.config.ConfigurationProblem;
import com.membersync.config.SourceProperties;
import com.membersync.observability.Causes;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The members' database that query feeds read ({@code member-sync.source.*}). A pool of its own, opened only when
 * a query feed first needs it and closed with the application; deliberately not a {@code DataSource} bean, so
 * Spring Boot's auto-configured state store stays the one and only DataSource. Every connection is read-only.
 */
public class SourceDatabase implements AutoCloseable {

    static final String URL_SETTING = "member-sync.source.url";
    static final String TIMEOUT_SETTING = "member-sync.source.statement-timeout";
    /** MariaDB's and MySQL's "Unknown database", which comes with the generic SQLState 42000. */
    private static final int UNKNOWN_DATABASE = 1049;

    private final SourceProperties properties;
    private final SqlDialect dialect;
    private final int timeoutSeconds;
    private HikariDataSource pool;

    SourceDatabase(SourceProperties properties) {
        this.properties = properties;
        this.dialect = properties.configured() ? SqlDialect.of(properties.url()) : SqlDialect.STANDARD;
        // JDBC counts whole seconds; 0 would mean no limit at all
        this.timeoutSeconds = Math.clamp(Math.ceilDiv(properties.statementTimeout().toMillis(), 1000), 1,
                Integer.MAX_VALUE);
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
        try (Connection connection = connection()) {
            try (var statement = prepare(connection, "SELECT * FROM (" + QueryShape.strip(query) + ") q WHERE 1 = 0");
                    var rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                String[] names = new String[meta.getColumnCount()];
                List<SqlValues.Kind> kinds = new ArrayList<>();
                int[] sqlTypes = new int[names.length];
                for (int i = 1; i <= names.length; i++) {
                    names[i - 1] = meta.getColumnLabel(i);
                    sqlTypes[i - 1] = meta.getColumnType(i);
                    kinds.add(dialect.kind(sqlTypes[i - 1], meta.getColumnTypeName(i)));
                }
                return new QueryShape(query, ColumnLayout.of(names, columns), names, kinds, sqlTypes, dialect);
            } finally {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            throw problem(feed, e);
        }
    }

    /**
     * Whether the database already compares the key column byte for byte, as member-sync compares keys: then pages
     * compare it as it is, and an index on it serves them. A case-insensitive or PAD SPACE collation does not (nor
     * does a table with no rows, which has nothing to page). Another database is taken at its word (README).
     */
    boolean comparesBytewise(String feed, QueryShape shape, int keyIndex) {
        String test = dialect.comparesBytewise(shape.column(keyIndex));
        if (test == null) {
            return true;
        }
        try (Connection connection = connection()) {
            try (var statement = prepare(connection, "SELECT " + test + " FROM (" + QueryShape.strip(shape.query())
                    + ") q" + dialect.first(1)); var rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            } finally {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            throw problem(feed, e);
        }
    }

    /** A connection of the pool: read-only, its session set up for the dialect. */
    Connection connection() throws SQLException {
        return dataSource().getConnection();
    }

    /** Every statement on the members' database is bounded by {@code member-sync.source.statement-timeout}. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(timeoutSeconds);
        return statement;
    }

    private synchronized DataSource dataSource() {
        if (pool == null) {
            if (!properties.configured()) {
                throw new ConfigurationProblem(URL_SETTING, "no source database is configured for query feeds");
            }
            Duration timeout = properties.statementTimeout();
            if (timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationProblem(TIMEOUT_SETTING, TIMEOUT_SETTING + " must be positive, e.g. 5m");
            }
            String url = driverUrl(properties.url());
            try {
                DriverManager.getDriver(url);
            } catch (SQLException noDriver) {
                // Named without repeating the URL, whose parameters may hold a password.
                throw new ConfigurationProblem(URL_SETTING, "the source database URL is not one a JDBC driver here"
                        + " accepts (expected e.g. jdbc:postgresql://host:5432/crm or jdbc:mariadb://host:3306/crm;"
                        + " for another database add its driver with loader.path, see the README)");
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("member-sync-source");
            config.setDataSource(new SessionSetup(
                    new DriverDataSource(url, null, new Properties(), properties.username(), properties.password()),
                    dialect.sessionSetup()));
            // Read-only at the connection: PostgreSQL's driver then opens every transaction READ ONLY, so not even
            // a side-effecting function in a feed's query can write to the members' database. MariaDB's driver
            // only notes it: there the session setup makes every transaction READ ONLY.
            config.setReadOnly(true);
            config.setAutoCommit(false);
            config.setMaximumPoolSize(4); // one page query per feed at a time; feeds run side by side
            config.setMinimumIdle(0);
            config.setConnectionTimeout(10_000);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    /** MariaDB's driver reads {@code jdbc:mysql:} URLs too, when they say so. */
    static String driverUrl(String url) {
        if (url.startsWith("jdbc:mysql:") && !url.contains("permitMysqlScheme")) {
            return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
        }
        return url;
    }

    /**
     * What an operator can act on. Unreachable (network, database restarting): exit 1, a later run works. Refused
     * login, unknown database, unusable URL or a query the database rejects: exit 78, naming the setting.
     */
    RuntimeException problem(String feed, Exception e) {
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
        if (state.equals("3D000") || sql != null && sql.getErrorCode() == UNKNOWN_DATABASE && state.equals("42000")) {
            return new ConfigurationProblem(URL_SETTING, prefix + "the source database does not exist: " + reason);
        }
        if (sql == null && e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (Causes.find(e, SQLTimeoutException.class).isPresent() || state.equals("57014") || state.equals("70100")) {
            SourceUnavailable slow = new SourceUnavailable(prefix + "a query on the source database ran longer than "
                    + TIMEOUT_SETTING + " (" + timeoutSeconds + "s) and was cancelled; nothing more was"
                    + " read. An index on the key column, or a longer " + TIMEOUT_SETTING + ", helps; the next run"
                    + " resumes");
            slow.addSuppressed(e);
            return slow;
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

    /** Runs the dialect's session statements on each new connection, before the pool hands it out. */
    private static final class SessionSetup extends DelegatingDataSource {

        private final List<String> statements;

        SessionSetup(DataSource driver, List<String> statements) {
            super(driver);
            this.statements = statements;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return setUp(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return setUp(super.getConnection(username, password));
        }

        private Connection setUp(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        }
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
