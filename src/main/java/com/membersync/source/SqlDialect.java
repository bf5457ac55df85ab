package com.membersync.source;

import java.sql.Types;
import java.util.List;
import java.util.Locale;

/**
 * The SQL that differs between the databases a query feed reads, chosen by the source URL: how identifiers are
 * quoted, how a page is limited, how a key is compared byte for byte, how the session is set up and what the
 * driver's type names mean. Everything else member-sync sends is plain SQL every database takes.
 */
enum SqlDialect {

    POSTGRESQL {
        @Override
        String bytewise(String operand) {
            // "C" compares the bytes; the cast also takes citext, whose own comparison ignores case
            return "CAST(" + operand + " AS text) COLLATE \"C\"";
        }

        @Override
        String comparesBytewise(String column) {
            // A deterministic collation breaks ties by the bytes, so keys equal under it are equal as text.
            return "pg_typeof(" + column + ")::text NOT LIKE '%citext' AND COALESCE((SELECT c.collisdeterministic"
                    + " FROM pg_collation c WHERE c.oid = pg_collation_for(" + column + ")::regcollation), true)";
        }
    },

    /** MariaDB, and MySQL through the same driver. */
    MARIADB {
        @Override
        String quote(String identifier) {
            return '`' + identifier.replace("`", "``") + '`';
        }

        @Override
        String bytewise(String operand) {
            // utf8mb4 first, so that a latin1 column and the (utf8mb4) parameter compare as the same bytes
            return "CAST(CONVERT(" + operand + " USING utf8mb4) AS BINARY)";
        }

        @Override
        String comparesBytewise(String column) {
            // binary (numbers, VARBINARY) and the NO PAD binary collations compare bytes and keep trailing spaces;
            // utf8mb4_bin does not (PAD SPACE), utf8mb4_general_ci ignores case as well
            String collation = "COLLATION(" + column + ")";
            return collation + " = 'binary' OR " + collation + " LIKE '%\\_nopad\\_bin' OR " + collation
                    + " LIKE '%\\_0900\\_bin'";
        }

        @Override
        List<String> sessionSetup() {
            // The driver's setReadOnly does not reach the server; TIMESTAMP values are shown in the session's zone.
            return List.of("SET SESSION TRANSACTION READ ONLY", "SET time_zone = '+00:00'");
        }

        @Override
        SqlValues.Kind kind(int sqlType, String typeName) {
            String name = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
            if (sqlType == Types.TIMESTAMP) {
                return name.startsWith("TIMESTAMP") ? SqlValues.Kind.UTC_TIMESTAMP : SqlValues.Kind.STORED_DATE_TIME;
            }
            if (name.equals("YEAR")) {
                return SqlValues.Kind.TEXT; // reported as a DATE, held as 2024
            }
            return super.kind(sqlType, typeName);
        }
    },

    /**
     * Any other JDBC driver an operator adds: double-quoted identifiers and SQL:2008 row limits, always as OFFSET
     * and FETCH together, the one form SQL Server takes (after an ORDER BY) as well as Oracle 12c+, Db2 and H2.
     */
    STANDARD {
        @Override
        String bytewise(String operand) {
            return operand; // never asked: the key is compared as the database compares it (see the README)
        }

        @Override
        String comparesBytewise(String column) {
            return null;
        }

        @Override
        String first(int rows) {
            return page(rows, 0);
        }

        @Override
        String page(int rows, long offset) {
            return " OFFSET " + offset + " ROWS FETCH NEXT " + rows + " ROWS ONLY";
        }
    };

    static SqlDialect of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        return STANDARD;
    }

    /** An identifier quoted, so that it is taken exactly, case included. */
    String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code operand} (a column or a parameter) as a value the database orders and compares byte for byte. */
    abstract String bytewise(String operand);

    /**
     * A boolean SQL expression, true when the database already compares {@code column} byte for byte, so that paging
     * can use an index on it as it is; null when this database cannot say.
     */
    abstract String comparesBytewise(String column);

    /** Statements run once on each new connection, before anything else. */
    List<String> sessionSetup() {
        return List.of();
    }

    /** The clause that limits a query to its first {@code rows} rows. */
    String first(int rows) {
        return " LIMIT " + rows;
    }

    /** The clause that skips {@code offset} rows and then limits to {@code rows}. */
    String page(int rows, long offset) {
        return " LIMIT " + rows + " OFFSET " + offset;
    }

    /** How a column's values are read, from the driver's type and the database's own type name. */
    SqlValues.Kind kind(int sqlType, String typeName) {
        return SqlValues.Kind.of(sqlType, typeName);
    }
}
