package com.membersync.source;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Turns a query's SQL values into the text a CSV export of the same data would hold, so the vendors' parsing and
 * validation treat both inputs alike: dates as YYYY-MM-DD, instants as ISO-8601 with Z, exact numbers without a
 * meaningless ".00", line breaks as LF, everything else in its string form. NULL becomes {@code null}: a blank cell,
 * "not managed".
 */
final class SqlValues {

    private static final TimeZone UTC = TimeZone.getTimeZone(ZoneOffset.UTC);

    private SqlValues() {}

    /** How a column's values are read, decided once per column from the query's metadata (see {@link SqlDialect}). */
    enum Kind {
        DATE, LOCAL_DATE_TIME, INSTANT, DECIMAL, BOOLEAN, TEXT,
        /** MariaDB/MySQL DATETIME: a wall clock without a zone, taken as stored (read in the feed's zone later). */
        STORED_DATE_TIME,
        /** MariaDB/MySQL TIMESTAMP: an instant, shown in the session's time zone, which SqlDialect sets to UTC. */
        UTC_TIMESTAMP;

        /**
         * @param typeName the database's own type name: PostgreSQL's driver reports {@code timestamptz} as a
         *                 plain TIMESTAMP and {@code boolean} as BIT, so the name decides those
         */
        static Kind of(int sqlType, String typeName) {
            String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
            return switch (sqlType) {
                case Types.DATE -> DATE;
                case Types.TIMESTAMP_WITH_TIMEZONE -> INSTANT;
                case Types.TIMESTAMP -> name.contains("tz") || name.contains("with time zone") ? INSTANT : LOCAL_DATE_TIME;
                case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
                case Types.BOOLEAN -> BOOLEAN;
                case Types.BIT -> name.startsWith("bool") ? BOOLEAN : TEXT;
                default -> TEXT;
            };
        }
    }

    /** The cell text of column {@code column} (1-based) of the current row. */
    static String read(ResultSet rs, int column, Kind kind) throws SQLException {
        Object value = switch (kind) {
            case DATE -> rs.getObject(column, LocalDate.class);
            case LOCAL_DATE_TIME -> rs.getObject(column, LocalDateTime.class);
            case INSTANT -> rs.getObject(column, OffsetDateTime.class);
            case DECIMAL -> decimal(rs, column);
            case BOOLEAN -> rs.getObject(column, Boolean.class);
            case TEXT -> LineBreaks.toLf(rs.getString(column));
            case STORED_DATE_TIME -> storedWallClock(rs, column);
            case UTC_TIMESTAMP -> {
                LocalDateTime utc = storedWallClock(rs, column);
                yield utc == null ? null : utc.atOffset(ZoneOffset.UTC);
            }
        };
        // No Java value: NULL (whose text is null too), or a zero date of MariaDB or MySQL (0000-00-00). That one's
        // text, as a CSV export holds it, is what validation then rejects, naming the key and the column.
        return value == null ? rs.getString(column) : text(value);
    }

    /**
     * The wall clock as the server sent it. With a UTC calendar the driver shifts nothing, whatever zone options
     * (connectionTimeZone, preserveInstants) the source URL carries.
     */
    private static LocalDateTime storedWallClock(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column, utcCalendar());
        return timestamp == null ? null : LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC);
    }

    /** A calendar in UTC, with which a driver reads or binds a wall clock as it is (a new one each time: not thread-safe). */
    static Calendar utcCalendar() {
        return Calendar.getInstance(UTC, Locale.ROOT);
    }

    /** NaN and infinities have no BigDecimal form; their string form lets the vendor reject them by name. */
    private static Object decimal(ResultSet rs, int column) throws SQLException {
        try {
            return rs.getBigDecimal(column);
        } catch (SQLException notANumber) {
            return rs.getString(column);
        }
    }

    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case LocalDate date -> date.toString();
            case LocalDateTime dateTime -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dateTime);
            case OffsetDateTime instant -> instant.toInstant().toString();
            case BigDecimal number -> exact(number);
            default -> value.toString();
        };
    }

    /**
     * 4900.00 becomes "4900" (an integer column accepts it); 49.50 keeps its scale, so an integer-cents column
     * refuses it with the value the operator sees in the database rather than a silently rounded one.
     */
    static String exact(BigDecimal number) {
        if (number.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : number.toPlainString();
    }
}
