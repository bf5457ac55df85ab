package com.membersync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the integration tests run against: {@code MEMBER_SYNC_TEST_DB_URL} when set, else a
 * Testcontainers PostgreSQL when a Docker engine is available, else a clear failure saying how to provide one.
 * Each call to {@link #newSchema} gives a fresh, empty schema, so test classes never see each other's state.
 */
public final class TestDatabase {

    public static final String URL_VARIABLE = "MEMBER_SYNC_TEST_DB_URL";
    private static String baseUrl;
    private static String username;
    private static String password;

    private TestDatabase() {}

    /**
     * A schema of its own: its JDBC URL (for member-sync's spring.datasource.url) and a JdbcTemplate on it. Closing it
     * drops it, so the long-lived database a developer runs the tests on does not fill up with them.
     */
    public record Schema(String name, String url, String username, String password, JdbcTemplate jdbc, String drop)
            implements AutoCloseable {
        @Override
        public void close() {
            ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
            try (Connection c = DriverManager.getConnection(url, username, password)) {
                c.createStatement().execute(drop);
            } catch (SQLException e) {
                System.err.println("could not drop the test schema " + name + ": " + e.getMessage());
            }
        }
    }

    public static synchronized Schema newSchema(String hint) {
        connectOnce();
        String schema = ("t_" + hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(baseUrl, username, password)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + baseUrl + ": " + e.getMessage(), e);
        }
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        var dataSource = new SingleConnectionDataSource(url, username, password, true);
        // a process a failed test left running may still hold a lock: give up rather than hang the suite
        return new Schema(schema, url, username, password, new JdbcTemplate(dataSource),
                "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void connectOnce() {
        if (baseUrl != null) {
            return;
        }
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            baseUrl = configured;
            username = System.getenv().getOrDefault("MEMBER_SYNC_TEST_DB_USER", "postgres");
            password = System.getenv().getOrDefault("MEMBER_SYNC_TEST_DB_PASSWORD", "");
            return;
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            baseUrl = container.getJdbcUrl();
            username = container.getUsername();
            password = container.getPassword();
            return;
        }
        throw new IllegalStateException("The integration tests need a PostgreSQL database. Set " + URL_VARIABLE
                + " to its JDBC URL (e.g. " + URL_VARIABLE + "=jdbc:postgresql://127.0.0.1:5432/test, user from"
                + " MEMBER_SYNC_TEST_DB_USER, default postgres), or start a Docker engine for Testcontainers.");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
