package com.membersync.source;

import java.util.List;

/**
 * A feed query's columns: their names (as a layout, like a CSV header) and how each one's values are read, with the
 * SQL dialect of the database it runs on.
 */
record QueryShape(String query, ColumnLayout layout, String[] names, List<SqlValues.Kind> kinds, int[] sqlTypes,
        SqlDialect dialect) {

    /** The query as a subquery: without the trailing semicolon an operator may well have typed. */
    static String strip(String query) {
        String sql = query.strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        return sql;
    }

    String subquery() {
        return "SELECT * FROM (" + strip(query) + ") q";
    }

    /** A column of the subquery, quoted: its name is exactly the query's column label, case included. */
    String column(int index) {
        return "q." + dialect.quote(names[index]);
    }
}
