package com.membersync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The real MariaDB that the MariaDB query-feed tests read members from: {@code MEMBER_SYNC_TEST_MARIADB_URL} when
 * set, else the local one CI starts ({@value #DEFAULT_URL}, user root without a password), else a clear failure
 * saying how to provide one. Each call to {@link #newDatabase} gives a fresh, empty database, so test
 * classes never see each other's tables; closing the schema drops it again.
 */
public final class TestMariaDb {

    public static final String URL_VARIABLE = "MEMBER_SYNC_TEST_MARIADB_URL";
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    private static String baseUrl;
    private static String username;
    private static String password;

    private TestMariaDb() {}

    /** A database of its own, as a {@link TestDatabase.Schema}: its URL (for member-sync.source.url) and a JdbcTemplate. */
    public static synchronized TestDatabase.Schema newDatabase(String hint) {
        connectOnce();
        String name = ("t_" + hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(baseUrl, username, password)) {
            c.createStatement().execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database in " + baseUrl + ": " + e.getMessage(), e);
        }
        String url = withDatabase(baseUrl, name);
        var dataSource = new SingleConnectionDataSource(url, username, password, true);
        return new TestDatabase.Schema(name, url, username, password, new JdbcTemplate(dataSource),
                "DROP DATABASE IF EXISTS " + name);
    }

    /** {@code jdbc:mariadb://host:port/db?params} with {@code database} in place of db. */
    public static String withDatabase(String url, String database) {
        int hosts = url.indexOf("//") + 2;
        int params = url.indexOf('?', hosts);
        int end = params < 0 ? url.length() : params;
        int slash = url.indexOf('/', hosts);
        int dbStart = slash < 0 || slash > end ? end : slash;
        return url.substring(0, dbStart) + "/" + database + url.substring(end);
    }

    private static void connectOnce() {
        if (baseUrl != null) {
            return;
        }
        String configured = System.getenv(URL_VARIABLE);
        boolean given = configured != null && !configured.isBlank();
        String url = given ? configured : DEFAULT_URL;
        String user = System.getenv().getOrDefault("MEMBER_SYNC_TEST_MARIADB_USER", "root");
        String secret = System.getenv().getOrDefault("MEMBER_SYNC_TEST_MARIADB_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(url, user, secret)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException("The MariaDB query-feed tests need a MariaDB database, and "
                    + (given ? URL_VARIABLE + " does not answer" : "none answers at " + DEFAULT_URL)
                    + " (" + e.getMessage() + "). Start the local one (CI does: .ci/run) or set " + URL_VARIABLE
                    + " to a JDBC URL, e.g. " + URL_VARIABLE + "=" + DEFAULT_URL + ", user from"
                    + " MEMBER_SYNC_TEST_MARIADB_USER (default root) and MEMBER_SYNC_TEST_MARIADB_PASSWORD; the user"
                    + " must be allowed to create databases.", e);
        }
        baseUrl = url;
        username = user;
        password = secret;
    }
}
