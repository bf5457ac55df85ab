package com.membersync.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Runs and feed runs: what {@code status} lists. */
@Repository
public class FeedRunRepository {

    /** One invocation of {@code run} (or {@code verify}), and the shard it ran ({@code I/N}; null for none). */
    public record SyncRun(long runId, Instant startedAt, Instant finishedAt, Integer exitCode, String shard) {}

    /**
     * A feed run with what became of its changes, by status: its input rows', its deactivations of absent members',
     * and the managed fields found drifted. What the page of a run shows.
     */
    public record Tally(FeedRun run, Map<ChangeStatus, Long> rows, Map<ChangeStatus, Long> deactivations, long drift) {

        public long synced() {
            return rows.getOrDefault(ChangeStatus.SYNCED, 0L);
        }

        public long refused() {
            return rows.getOrDefault(ChangeStatus.REFUSED, 0L);
        }

        public long failed() {
            return rows.getOrDefault(ChangeStatus.FAILED, 0L);
        }

        public long pending() {
            return rows.getOrDefault(ChangeStatus.PENDING, 0L);
        }

        public long deactivated() {
            return deactivations.getOrDefault(ChangeStatus.SYNCED, 0L);
        }
    }

    private static final TypeReference<Map<String, Object>> CHECKPOINT = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final OutboxRepository outbox;
    private final Clock clock;

    FeedRunRepository(JdbcTemplate jdbc, JsonMapper json, Clock clock, OutboxRepository outbox) {
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public long createRun() {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("INSERT INTO sync_run (started_at) VALUES (?)",
                    new String[] {"run_id"});
            statement.setTimestamp(1, now);
            return statement;
        }, keys);
        return keys.getKey().longValue();
    }

    public void finishRun(long runId, int exitCode) {
        finishRun(runId, exitCode, null);
    }

    /** @param shard the shard the run ran, {@code I/N}, or null */
    public void finishRun(long runId, int exitCode, String shard) {
        jdbc.update("UPDATE sync_run SET finished_at = ?, exit_code = ?, shard = ? WHERE run_id = ?",
                Timestamp.from(clock.instant()), exitCode, shard, runId);
    }

    /** Records that {@code runId} works on the feed run (new, or resumed from an earlier run). */
    public void begin(long feedRunId, long runId, String feed, String vendor, String account, FeedRunKind kind) {
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("UPDATE feed_run SET run_id = ?, status = ?, finished_at = NULL, message = NULL WHERE feed_run_id = ?",
                runId, FeedRunStatus.RUNNING.name(), feedRunId);
        if (updated == 0) {
            jdbc.update("INSERT INTO feed_run (feed_run_id, run_id, feed, vendor, account, status, started_at, kind)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", feedRunId, runId, feed, vendor, account,
                    FeedRunStatus.RUNNING.name(), now, kind.name());
        }
    }

    /**
     * Adds a planned block's counts and records where planning stands after it, in the block's transaction: the
     * plan, its counts and its checkpoint commit together or not at all.
     *
     * @param checkpoint the reader's position after the block (string and whole-number values)
     */
    public void addPlanCounts(long feedRunId, long read, long unchanged, long planned, long rejected, long absent,
            Map<String, Object> checkpoint) {
        jdbc.update("""
                UPDATE feed_run SET read_count = read_count + ?, unchanged_count = unchanged_count + ?,
                       planned_count = planned_count + ?, rejected_count = rejected_count + ?,
                       absent_count = absent_count + ?, plan_checkpoint = ?
                 WHERE feed_run_id = ?""", read, unchanged, planned, rejected, absent,
                json.writeValueAsString(checkpoint), feedRunId);
    }

    /** Where the feed run's planning stands, as its last committed block left it; empty before the first. */
    public Optional<Map<String, Object>> planCheckpoint(long feedRunId) {
        return jdbc.query("SELECT plan_checkpoint FROM feed_run WHERE feed_run_id = ?", (rs, i) -> rs.getString(1),
                feedRunId).stream().filter(Objects::nonNull).findFirst().map(text -> {
                    Map<String, Object> checkpoint = new LinkedHashMap<>();
                    // JSON has no long type: whole numbers come back as the Longs they were written as
                    json.readValue(text, CHECKPOINT).forEach((key, value) -> checkpoint.put(key,
                            value instanceof Number n ? Long.valueOf(n.longValue()) : value));
                    return checkpoint;
                });
    }

    /** Forgets a partial plan: the input changed since it was made, so it is planned again from the top. */
    public void resetPlan(long feedRunId) {
        jdbc.update("UPDATE feed_run SET read_count = 0, unchanged_count = 0, planned_count = 0, rejected_count = 0,"
                + " absent_count = 0, plan_checkpoint = NULL WHERE feed_run_id = ?", feedRunId);
        jdbc.update("DELETE FROM row_failure WHERE feed_run_id = ? AND kind = ?", feedRunId, FailureKind.REJECTED.name());
    }

    public void end(long feedRunId, FeedRunStatus status, String message) {
        jdbc.update("UPDATE feed_run SET status = ?, finished_at = ?, message = ? WHERE feed_run_id = ?",
                status.name(), Timestamp.from(clock.instant()), message == null ? null : truncate(message), feedRunId);
    }

    /** Whether the feed ever ran to the end (with or without row failures): until then, it is a first sync. */
    public boolean hasCompleted(String feed) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM feed_run WHERE feed = ? AND status = ? AND kind = ?)", Boolean.class, feed,
                FeedRunStatus.COMPLETED.name(), FeedRunKind.SYNC.name()));
    }

    /**
     * Per feed, when it last ran to the end (status COMPLETED), or, before it ever did, when it first ran: what an
     * alert on "no successful run for a day" measures from.
     */
    public Map<String, Instant> lastSuccess(Collection<String> feeds) {
        Map<String, Instant> since = new LinkedHashMap<>();
        for (String feed : feeds) {
            jdbc.query("""
                    SELECT COALESCE(MAX(CASE WHEN status = ? THEN finished_at END), MIN(started_at))
                      FROM feed_run WHERE feed = ? AND kind = ?""", rs -> {
                Timestamp at = rs.getTimestamp(1);
                if (at != null) {
                    since.put(feed, at.toInstant());
                }
            }, FeedRunStatus.COMPLETED.name(), feed, FeedRunKind.SYNC.name());
        }
        return since;
    }

    public Optional<FeedRun> find(long feedRunId) {
        return jdbc.query("SELECT * FROM feed_run WHERE feed_run_id = ?", this::feedRun, feedRunId).stream().findFirst();
    }

    public List<SyncRun> latestRuns(int limit) {
        return jdbc.query("SELECT run_id, started_at, finished_at, exit_code, shard FROM sync_run ORDER BY run_id DESC LIMIT ?",
                this::syncRun, limit);
    }

    public Optional<SyncRun> run(long runId) {
        return jdbc.query("SELECT run_id, started_at, finished_at, exit_code, shard FROM sync_run WHERE run_id = ?",
                this::syncRun, runId).stream().findFirst();
    }

    /** The feed runs a run worked on, by feed, each with its changes counted by kind and status. */
    public List<Tally> talliesOf(long runId) {
        Map<Long, OutboxRepository.Counts> counts = outbox.countsOfRun(runId);
        return feedsOf(runId).stream().map(run -> {
            OutboxRepository.Counts of = counts.getOrDefault(run.feedRunId(), OutboxRepository.Counts.none());
            return new Tally(run, of.rows(), of.deactivations(), of.drift());
        }).toList();
    }

    public List<FeedRun> feedsOf(long runId) {
        return jdbc.query("SELECT * FROM feed_run WHERE run_id = ? ORDER BY feed", this::feedRun, runId);
    }

    public Optional<Long> latestRunId() {
        return jdbc.query("SELECT MAX(run_id) FROM sync_run", (rs, i) -> (Long) rs.getObject(1)).stream()
                .filter(Objects::nonNull).findFirst();
    }

    private SyncRun syncRun(ResultSet rs, int row) throws SQLException {
        return new SyncRun(rs.getLong(1), instant(rs, 2), instant(rs, 3), (Integer) rs.getObject(4), rs.getString(5));
    }

    private FeedRun feedRun(ResultSet rs, int row) throws SQLException {
        return new FeedRun(rs.getLong("feed_run_id"), rs.getLong("run_id"), FeedRunKind.valueOf(rs.getString("kind")),
                rs.getString("feed"), rs.getString("vendor"), rs.getString("account"),
                FeedRunStatus.valueOf(rs.getString("status")), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getLong("read_count"),
                rs.getLong("unchanged_count"), rs.getLong("planned_count"), rs.getLong("rejected_count"),
                rs.getLong("absent_count"), rs.getString("message"));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** A message as a message column holds it. */
    static String truncate(String message) {
        return message.length() > 2000 ? message.substring(0, 1999) + "…" : message;
    }

}
