package com.membersync.state;

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
        String sql = "SELECT * FROM row_failure WHERE feed_run_id IN (SELECT feed_run_id FROM feed_run WHERE run_id = ?)"
                + (feed == null ? "" : " AND feed = ?")
                + " ORDER BY feed, line, failure_id";
        Object[] args = feed == null ? new Object[] {runId} : new Object[] {runId, feed};
        return jdbc.query(sql, (rs, i) -> new RowFailure(rs.getLong("run_id"), rs.getString("feed"),
                FailureKind.valueOf(rs.getString("kind")), rs.getLong("line"), rs.getString("member_key"),
                rs.getString("field"), rs.getString("reason"), (Integer) rs.getObject("http_status"),
                rs.getString("row_data") == null ? null : json.readValue(rs.getString("row_data"), ROW),
                rs.getTimestamp("created_at").toInstant()), args);
    }

    /** Drops reports older than {@code retention}; returns how many rows went. */
    public int purgeOlderThan(Duration retention) {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        return jdbc.update("DELETE FROM row_failure WHERE created_at < ?", cutoff);
    }
}
