package com.membersync.source;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads a feed's query page by page, in the order of its key column (keyset paging: {@code WHERE key > last
 * ORDER BY key LIMIT page}), holding one page in memory whatever the table's size. Keys are compared byte for
 * byte, as member-sync tells members apart: where the column's collation would not (case-insensitive, PAD SPACE),
 * the pages compare the key's bytes instead, so that {@code MQ_1} and {@code mq_1} are two keys, each read once.
 * Each row's {@code line} is its ordinal in the result. Restartable: at each commit it saves the last key handed out, and a rerun continues
 * after that key, so rows added or removed meanwhile do not shift it. Rows whose key is NULL come last, read
 * once the keys are done, so that they are rejected and counted as a blank key in a CSV would be.
 */
public class QueryMemberReader implements ItemStreamReader<SourceRow> {

    private static final Logger log = LoggerFactory.getLogger(QueryMemberReader.class);
    static final String ROWS = "query.rows";
    static final String LAST_KEY = "query.last-key";
    /** Rows of the last key handed out when more rows may share it (duplicate keys); 0 when it is done. */
    static final String LAST_KEY_ROWS = "query.last-key-rows";
    static final String NULL_KEY_ROWS = "query.null-key-rows";

    private final SourceDatabase database;
    private final String feed;
    private final String query;
    private final Map<String, String> columns;
    private final String keyField;
    private final int pageSize;
    private final ArrayDeque<Row> page = new ArrayDeque<>();

    private QueryShape shape;
    private int keyIndex;
    /** The key as the pages compare and order it, and the parameter it is compared with. */
    private String key;
    private String keyParameter;

    // What has been handed out: saved at each commit.
    private long rows;
    private String lastKey;
    private long lastKeyRows;
    private boolean lastKeyDone = true;
    private long nullKeyRows;

    // Where the next page starts.
    private String pageAfter;
    private long skipOfPageAfter;
    private boolean keysDone;
    private boolean exhausted;

    // Where this reader started: what a reader of the rows before it (earlier()) reads up to.
    private String startKey;
    private boolean startedInNullKeys;

    private record Row(String key, String[] cells) {}

    /**
     * The rows before another reader's start: those of keys up to {@code lastKey} (every key when {@code allKeys}),
     * and none whose key is NULL, since those come last and name nobody.
     */
    private record Before(String lastKey, boolean allKeys) {}

    /** Null for the whole query. */
    private final Before before;

    QueryMemberReader(SourceDatabase database, String feed, String query, Map<String, String> columns,
            String keyField, int pageSize) {
        this(database, feed, query, columns, keyField, pageSize, null);
    }

    private QueryMemberReader(SourceDatabase database, String feed, String query, Map<String, String> columns,
            String keyField, int pageSize, Before before) {
        this.before = before;
        this.database = database;
        this.feed = feed;
        this.query = query;
        this.columns = columns;
        this.keyField = keyField;
        this.pageSize = pageSize;
    }

    @Override
    public void open(ExecutionContext context) {
        shape = database.describe(feed, query, columns);
        InputFiles.requireColumns(feed, shape.layout(), List.of(keyField), columns);
        keyIndex = shape.layout().index(keyField);
        // Numbers and dates compare exactly; text only under a binary collation.
        boolean asIs = shape.kinds().get(keyIndex) != SqlValues.Kind.TEXT
                || database.comparesBytewise(feed, shape, keyIndex);
        key = asIs ? shape.column(keyIndex) : shape.dialect().bytewise(shape.column(keyIndex));
        keyParameter = asIs ? "?" : shape.dialect().bytewise("?");
        rows = context.getLong(ROWS, 0L);
        nullKeyRows = context.getLong(NULL_KEY_ROWS, 0L);
        lastKey = context.containsKey(LAST_KEY) ? context.getString(LAST_KEY) : null;
        lastKeyRows = context.getLong(LAST_KEY_ROWS, 0L);
        lastKeyDone = lastKeyRows == 0;
        pageAfter = lastKey;
        skipOfPageAfter = lastKeyRows;
        keysDone = nullKeyRows > 0;
        startKey = lastKey;
        startedInNullKeys = keysDone;
        exhausted = before != null && !before.allKeys() && before.lastKey() == null;
        if (rows > 0) {
            // Never the key itself: it is a member's identifier, and logs carry no row values.
            log.info("{}: resuming the query after row {} (the last committed key); the rows before it are not read again",
                    feed, rows);
        }
    }

    @Override
    public SourceRow read() {
        while (page.isEmpty()) {
            if (exhausted) {
                return null;
            }
            fetch();
        }
        Row row = page.poll();
        rows++;
        if (row.key() == null) {
            nullKeyRows++;
        } else {
            if (row.key().equals(lastKey)) {
                lastKeyRows++;
            } else {
                lastKey = row.key();
                lastKeyRows = 1;
            }
            // Pages end where a key changes, so the end of a page also ends the key's rows.
            lastKeyDone = page.isEmpty() || !row.key().equals(page.peek().key());
        }
        return SourceRow.of(rows, row.cells(), shape.layout());
    }

    /**
     * The rows of the keys handed out before this reader's start, in the same order; rows added to or removed from
     * the source since are as the source holds them now.
     */
    QueryMemberReader earlier() {
        return new QueryMemberReader(database, feed, query, columns, keyField, pageSize,
                new Before(startKey, startedInNullKeys));
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(ROWS, rows);
        context.putLong(NULL_KEY_ROWS, nullKeyRows);
        if (lastKey != null) {
            context.putString(LAST_KEY, lastKey);
            context.putLong(LAST_KEY_ROWS, lastKeyDone ? 0 : lastKeyRows);
        }
    }

    @Override
    public void close() {
        page.clear();
    }

    private void fetch() {
        try (Connection connection = database.connection()) {
            try {
                if (keysDone && before != null) {
                    exhausted = true;
                } else if (keysDone) {
                    fetchNullKeys(connection);
                } else {
                    fetchKeys(connection);
                }
            } finally {
                connection.rollback(); // a read-only transaction: nothing to commit
            }
        } catch (SQLException | RuntimeException e) {
            throw database.problem(feed, e);
        }
    }

    private void fetchKeys(Connection connection) throws SQLException {
        String base = shape.subquery();
        boolean bounded = before != null && !before.allKeys();
        String boundAndOrder = (bounded ? " AND " + key + " <= " + keyParameter : "") + " ORDER BY " + key
                + shape.dialect().first(pageSize);
        List<String> upTo = bounded ? List.of(before.lastKey()) : List.of();
        List<Row> rows;
        if (pageAfter == null) {
            rows = query(connection, base + " WHERE " + shape.column(keyIndex) + " IS NOT NULL" + boundAndOrder, upTo);
        } else if (skipOfPageAfter > 0) {
            // Resuming amid rows sharing one key (a duplicate key): that key's rows again, minus those handed out.
            rows = query(connection, base + " WHERE " + key + " >= " + keyParameter + boundAndOrder, after(upTo));
        } else {
            rows = query(connection, base + " WHERE " + key + " > " + keyParameter + boundAndOrder, after(upTo));
        }
        boolean full = rows.size() == pageSize;
        if (full) {
            // End the page where a key changes, so that rows sharing a key never straddle two pages.
            String last = rows.getLast().key();
            while (!rows.isEmpty() && rows.getLast().key().equals(last)) {
                rows.removeLast();
            }
            if (rows.isEmpty()) {
                // A whole page of one key: that key's rows in full (only ever the case for a duplicated key).
                rows = query(connection, base + " WHERE " + key + " = " + keyParameter, List.of(last));
            }
        }
        if (!full) {
            keysDone = true;
        }
        if (!rows.isEmpty()) {
            String skipKey = pageAfter;
            pageAfter = rows.getLast().key();
            for (; skipOfPageAfter > 0 && !rows.isEmpty() && rows.getFirst().key().equals(skipKey); skipOfPageAfter--) {
                rows.removeFirst();
            }
        }
        skipOfPageAfter = 0;
        page.addAll(rows);
    }

    private void fetchNullKeys(Connection connection) throws SQLException {
        // NULL keys have no order to page by; they are all rejected anyway, so a count to skip is enough. (The ORDER
        // BY orders nothing: SQL Server takes OFFSET only after one.)
        String key = shape.column(keyIndex);
        List<Row> rows = query(connection, shape.subquery() + " WHERE " + key + " IS NULL ORDER BY " + key
                + shape.dialect().page(pageSize, nullKeyRows), List.of());
        if (rows.size() < pageSize) {
            exhausted = true;
        }
        page.addAll(rows);
    }

    /** The key a page starts after, then {@code more} parameters. */
    private List<String> after(List<String> more) {
        List<String> keys = new ArrayList<>(List.of(pageAfter));
        keys.addAll(more);
        return keys;
    }

    /** Runs a page query with these keys as its parameters. */
    private List<Row> query(Connection connection, String sql, List<String> keys) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = database.prepare(connection, sql)) {
            for (int i = 0; i < keys.size(); i++) {
                bindKey(statement, i + 1, keys.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                int width = shape.names().length;
                while (rs.next()) {
                    String[] cells = new String[width];
                    for (int i = 0; i < width; i++) {
                        cells[i] = SqlValues.read(rs, i + 1, shape.kinds().get(i));
                    }
                    rows.add(new Row(cells[keyIndex], cells));
                }
            }
        }
        return rows;
    }

    /** The saved key back as a value of the key column's type: a text parameter would not compare with a number. */
    private void bindKey(PreparedStatement statement, int parameter, String value) throws SQLException {
        switch (shape.kinds().get(keyIndex)) {
            case DATE -> statement.setObject(parameter, LocalDate.parse(value));
            case LOCAL_DATE_TIME -> statement.setObject(parameter, LocalDateTime.parse(value));
            case INSTANT -> statement.setObject(parameter, OffsetDateTime.parse(value));
            // as the value was read: a wall clock, given with a UTC calendar so that the driver shifts nothing
            case STORED_DATE_TIME -> statement.setTimestamp(parameter,
                    Timestamp.from(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC)), SqlValues.utcCalendar());
            case UTC_TIMESTAMP ->
                    statement.setTimestamp(parameter, Timestamp.from(Instant.parse(value)), SqlValues.utcCalendar());
            case DECIMAL -> statement.setBigDecimal(parameter, new BigDecimal(value));
            default -> {
                switch (shape.sqlTypes()[keyIndex]) {
                    // BIGINT UNSIGNED goes past a long
                    case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                        BigInteger number = new BigInteger(value);
                        if (number.bitLength() < Long.SIZE) {
                            statement.setLong(parameter, number.longValue());
                        } else {
                            statement.setBigDecimal(parameter, new BigDecimal(number));
                        }
                    }
                    case Types.REAL, Types.DOUBLE, Types.FLOAT ->
                            statement.setBigDecimal(parameter, new BigDecimal(value));
                    case Types.VARCHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB ->
                            statement.setString(parameter, value);
                    // uuid, char(n), citext...: an untyped parameter, which the database reads as the column's type
                    default -> statement.setObject(parameter, value, Types.OTHER);
                }
            }
        }
    }
}
