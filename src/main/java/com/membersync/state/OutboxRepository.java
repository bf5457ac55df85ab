package com.membersync.state;

import com.membersync.connector.PlannedChange;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Planned changes and their delivery status: the deliver step's checkpoint, row by row. */
@Repository
public class OutboxRepository {

    /** A change to store: the member, its input line, the fields to send, its row's fingerprint and its kind. */
    public record NewChange(String key, long line, ObjectNode desired, long fingerprint, ChangeKind kind) {

        /** A member's row synced. */
        public NewChange(String key, long line, ObjectNode desired, long fingerprint) {
            this(key, line, desired, fingerprint, ChangeKind.SYNC);
        }
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    OutboxRepository(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void insert(long feedRunId, List<NewChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(changes.size());
        for (NewChange change : changes) {
            rows.add(new Object[] {feedRunId, change.key(), change.line(), json.writeValueAsString(change.desired()),
                    change.fingerprint(), ChangeStatus.PENDING.name(), change.kind().name(), now});
        }
        jdbc.batchUpdate("INSERT INTO outbox (feed_run_id, member_key, line, desired, row_hash, status, kind, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    /** Up to {@code limit} pending changes after {@code afterId}, each with the member's cached state. */
    public List<PendingChange> pending(long feedRunId, StateScope scope, long afterId, int limit) {
        return jdbc.query("""
                SELECT o.change_id, o.member_key, o.line, o.desired, s.fields, o.row_hash, o.kind
                  FROM outbox o LEFT JOIN member_state s
                    ON s.feed = ? AND s.account = ? AND s.member_key = o.member_key
                 WHERE o.feed_run_id = ? AND o.status = ? AND o.change_id > ?
                 ORDER BY o.change_id
                 LIMIT ?""",
                (rs, i) -> new PendingChange(ChangeKind.valueOf(rs.getString(7)), new PlannedChange(rs.getLong(1),
                        rs.getString(2), rs.getLong(3), (ObjectNode) json.readTree(rs.getString(4)),
                        rs.getString(5) == null ? null : (ObjectNode) json.readTree(rs.getString(5)), rs.getLong(6))),
                scope.feed(), scope.account(), feedRunId, ChangeStatus.PENDING.name(), afterId, limit);
    }

    /**
     * How a change ended: its status, the vendor's HTTP status and answer, and the managed fields the vendor was
     * found to hold with other values than last synced.
     */
    public record Finished(long changeId, ChangeStatus status, Integer httpStatus, String answer, int drift) {}

    /** Records how changes ended, in one batch. */
    public void finish(List<Finished> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(changes.size());
        for (Finished change : changes) {
            rows.add(new Object[] {change.status().name(), change.httpStatus(), change.answer(), change.drift(), now,
                    change.changeId()});
        }
        // Typed, so that a NULL costs no round trip to ask the database its type: this runs for every answer.
        jdbc.batchUpdate("UPDATE outbox SET status = ?, http_status = ?, answer = ?, drift = ?, updated_at = ? WHERE change_id = ?",
                rows, new int[] {Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.INTEGER, Types.TIMESTAMP,
                        Types.BIGINT});
    }

    /** Managed fields found changed at the vendor over the feed run's deliveries. */
    public long drift(long feedRunId) {
        Long drift = jdbc.queryForObject("SELECT COALESCE(SUM(drift), 0) FROM outbox WHERE feed_run_id = ?", Long.class,
                feedRunId);
        return drift == null ? 0 : drift;
    }

    /** Changes of input rows (syncs and repairs) by status, for one feed run. */
    public Map<ChangeStatus, Long> countByStatus(long feedRunId) {
        return countByStatus(feedRunId, "kind <> ?");
    }

    /** Deactivations of absent members by status, for one feed run. */
    public Map<ChangeStatus, Long> deactivationsByStatus(long feedRunId) {
        return countByStatus(feedRunId, "kind = ?");
    }

    private Map<ChangeStatus, Long> countByStatus(long feedRunId, String deactivations) {
        Map<ChangeStatus, Long> counts = new EnumMap<>(ChangeStatus.class);
        for (ChangeStatus s : ChangeStatus.values()) {
            counts.put(s, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM outbox WHERE feed_run_id = ? AND " + deactivations + " GROUP BY status",
                rs -> {
                    counts.put(ChangeStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }, feedRunId, ChangeKind.DEACTIVATE.name());
        return counts;
    }

    /** The first planned changes of input rows of a feed run, for dry runs and the mass-change guard's examples. */
    public List<NewChange> sample(long feedRunId, int limit) {
        return jdbc.query("""
                SELECT member_key, line, desired FROM outbox WHERE feed_run_id = ? AND kind <> ?
                 ORDER BY change_id LIMIT ?""",
                (rs, i) -> new NewChange(rs.getString(1), rs.getLong(2), (ObjectNode) json.readTree(rs.getString(3)), 0),
                feedRunId, ChangeKind.DEACTIVATE.name(), limit);
    }

    /**
     * Puts the changes that failed (5xx, timeouts) back in the queue, dropping their failure reports: a resumed
     * delivery tries them again rather than leaving them failed after the vendor recovered.
     */
    public int retryFailed(long feedRunId) {
        jdbc.update("DELETE FROM row_failure WHERE feed_run_id = ? AND kind = ?", feedRunId, FailureKind.FAILED.name());
        return jdbc.update("UPDATE outbox SET status = ?, updated_at = ? WHERE feed_run_id = ? AND status = ?",
                ChangeStatus.PENDING.name(), Timestamp.from(clock.instant()), feedRunId, ChangeStatus.FAILED.name());
    }

    public void deletePending(long feedRunId) {
        jdbc.update("DELETE FROM outbox WHERE feed_run_id = ? AND status = ?", feedRunId, ChangeStatus.PENDING.name());
    }
}
