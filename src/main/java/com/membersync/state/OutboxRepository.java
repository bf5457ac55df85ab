package com.membersync.state;

import com.membersync.connector.PlannedChange;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
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

    /**
     * What became of a feed run's changes: its input rows' (syncs and repairs) and its deactivations of absent
     * members', each by status (every status present, 0 included), and the managed fields found changed at the vendor.
     */
    public record Counts(Map<ChangeStatus, Long> rows, Map<ChangeStatus, Long> deactivations, long drift) {

        static Counts none() {
            return new Counts(zeros(), zeros(), 0);
        }

        private static Map<ChangeStatus, Long> zeros() {
            Map<ChangeStatus, Long> counts = new EnumMap<>(ChangeStatus.class);
            for (ChangeStatus s : ChangeStatus.values()) {
                counts.put(s, 0L);
            }
            return counts;
        }
    }

    /** The {@link Counts} of one feed run. */
    public Counts counts(long feedRunId) {
        return counts("feed_run_id = ?", feedRunId).getOrDefault(feedRunId, Counts.none());
    }

    /** The {@link Counts} of the feed runs a run worked on, by feed run; none for a feed run that planned nothing. */
    public Map<Long, Counts> countsOfRun(long runId) {
        return counts("feed_run_id IN (SELECT feed_run_id FROM feed_run WHERE run_id = ?)", runId);
    }

    private Map<Long, Counts> counts(String feedRuns, long id) {
        Map<Long, Counts> counts = new HashMap<>();
        jdbc.query("SELECT feed_run_id, kind, status, COUNT(*), COALESCE(SUM(drift), 0) FROM outbox WHERE " + feedRuns
                + " GROUP BY feed_run_id, kind, status", rs -> {
            long feedRun = rs.getLong(1);
            Counts sofar = counts.getOrDefault(feedRun, Counts.none());
            boolean deactivation = ChangeKind.DEACTIVATE.name().equals(rs.getString(2));
            // syncs and repairs are both input rows
            (deactivation ? sofar.deactivations() : sofar.rows()).merge(ChangeStatus.valueOf(rs.getString(3)),
                    rs.getLong(4), Long::sum);
            counts.put(feedRun, new Counts(sofar.rows(), sofar.deactivations(), sofar.drift() + rs.getLong(5)));
        }, id);
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
