package com.membersync.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Rows that did not sync, kept per run for {@code failures}. */
@Repository
public class FailureRepository {

    /** The rows of the feed runs a run worked on. */
    private static final String OF_RUN = " FROM row_failure WHERE feed_run_id IN"
            + " (SELECT feed_run_id FROM feed_run WHERE run_id = ?)";

    private static final TypeReference<Map<String, String>> ROW = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    FailureRepository(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void insert(long feedRunId, List<RowFailure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(failures.size());
        for (RowFailure f : failures) {
            rows.add(new Object[] {feedRunId, f.runId(), f.feed(), f.kind().name(), f.line(), f.key(), f.field(),
                    f.reason(), f.httpStatus(), f.row() == null ? null : json.writeValueAsString(f.row()), now});
        }
        jdbc.batchUpdate("""
                INSERT INTO row_failure (feed_run_id, run_id, feed, kind, line, member_key, field, reason, http_status, row_data, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, new int[] {Types.BIGINT, Types.BIGINT, Types.VARCHAR,
                Types.VARCHAR, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.VARCHAR,
                Types.TIMESTAMP}); // typed: a NULL costs no round trip to ask the database its type
    }

    /**
     * The failures of the feed runs a run worked on (including rows an earlier, resumed run recorded), optionally
     * for one feed, in input order.
     */
    public List<RowFailure> ofRun(long runId, String feed) {
        return ofRun(runId, feed, null);
    }

    /** The first {@code limit} failures of a run, as {@link #ofRun} orders them: a page shows no more. */
    public List<RowFailure> firstOfRun(long runId, int limit) {
        return ofRun(runId, null, limit);
    }

    private List<RowFailure> ofRun(long runId, String feed, Integer limit) {
        List<Object> args = new ArrayList<>(List.of(runId));
        StringBuilder sql = new StringBuilder("SELECT *").append(OF_RUN);
        if (feed != null) {
            sql.append(" AND feed = ?");
            args.add(feed);
        }
        sql.append(" ORDER BY feed, line, failure_id");
        if (limit != null) {
            sql.append(" LIMIT ?");
            args.add(limit);
        }
        return jdbc.query(sql.toString(), this::failure, args.toArray());
    }

    /** How many failures {@link #ofRun} lists for the run. */
    public long countOfRun(long runId) {
        Long count = jdbc.queryForObject("SELECT COUNT(*)" + OF_RUN, Long.class, runId);
        return count == null ? 0 : count;
    }

    private RowFailure failure(ResultSet rs, int row) throws SQLException {
        return new RowFailure(rs.getLong("run_id"), rs.getString("feed"),
                FailureKind.valueOf(rs.getString("kind")), rs.getLong("line"), rs.getString("member_key"),
                rs.getString("field"), rs.getString("reason"), (Integer) rs.getObject("http_status"),
                rs.getString("row_data") == null ? null : json.readValue(rs.getString("row_data"), ROW),
                rs.getTimestamp("created_at").toInstant());
    }

    /** Drops reports older than {@code retention}; returns how many rows went. */
    public int purgeOlderThan(Duration retention) {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        return jdbc.update("DELETE FROM row_failure WHERE created_at < ?", cutoff);
    }
}
