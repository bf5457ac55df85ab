package com.membersync.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code verify} checks and found: per feed a verify run, its members with their results, and the position
 * reached in each list the vendor's members are read from. Each result is committed with the position it came from,
 * so a killed verify resumes where it stopped.
 */
@Repository
public class VerifyRepository {

    /** Where a verify run stands. */
    public enum Status { CHECKING, CHECKED, DONE, FAILED }

    /** One verify of one feed. */
    public record VerifyRun(long verifyId, long runId, String feed, String vendor, String account, boolean repair,
            Status status,
            Long repairFeedRun, String message) {}

    /**
     * A member to check: its synced state, the fields its row manages (null: not recorded) and the fingerprint of the
     * row its state is in step with (0: none).
     */
    public record Member(String key, String scope, ObjectNode synced, List<String> managed, long fingerprint) {}

    /** What the check of one member found: its result, and per drifted field the synced and the vendor's value. */
    public record Checked(String key, CheckResult result, ArrayNode drift) {}

    /** A position reached in a list: the cursor of the next page, or done. */
    public record Position(String scope, String next, boolean done) {}

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate transaction;

    VerifyRepository(JdbcTemplate jdbc, JsonMapper json, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.json = json;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The feed's verify that was interrupted (checking, or checked with a repair still to finish), if any. */
    public Optional<VerifyRun> unfinished(String feed) {
        return jdbc.query("SELECT * FROM verify_run WHERE feed = ? ORDER BY verify_id DESC LIMIT 1", this::verifyRun, feed)
                .stream().filter(run -> run.status() == Status.CHECKING || run.status() == Status.FAILED
                        || run.status() == Status.CHECKED && run.repair())
                .findFirst();
    }

    /** The verifies a run worked on (an interrupted verify is worked on by the run that resumes it), by feed. */
    public List<VerifyRun> ofRun(long runId) {
        return jdbc.query("SELECT * FROM verify_run WHERE run_id = ? ORDER BY feed", this::verifyRun, runId);
    }

    private VerifyRun verifyRun(ResultSet rs, int row) throws SQLException {
        return new VerifyRun(rs.getLong("verify_id"), rs.getLong("run_id"), rs.getString("feed"), rs.getString("vendor"),
                rs.getString("account"), rs.getBoolean("repair"), Status.valueOf(rs.getString("status")), (Long) rs.getObject("repair_feed_run"),
                rs.getString("message"));
    }

    /**
     * Starts a verify of the feed over {@code count} of its {@code synced} members, drawn at random (all of them when
     * {@code count} covers them), in one transaction: a verify killed while it starts has not started.
     *
     * @param scope the list a member's record is read from (see the connector's {@code listScope})
     */
    public long start(long runId, StateScope owner, String vendor, boolean repair, long count, long synced,
            Function<ObjectNode, String> scope) {
        String feed = owner.feed();
        return transaction.execute(tx -> {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("INSERT INTO verify_run (run_id, feed, vendor, account, status, repair, started_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", runId, feed, vendor, owner.account(), Status.CHECKING.name(),
                    repair, now);
            Long verifyId = jdbc.queryForObject("SELECT MAX(verify_id) FROM verify_run WHERE feed = ?", Long.class, feed);
            List<Object[]> batch = new ArrayList<>();
            boolean all = count >= synced;
            jdbc.query(connection -> {
                // a sample draws its keys at random first, so that only they carry their state through the sort
                var statement = connection.prepareStatement(all
                        ? "SELECT member_key, fields FROM member_state WHERE feed = ? AND account = ?"
                        : "SELECT member_key, fields FROM member_state WHERE feed = ? AND account = ? AND member_key IN"
                                + " (SELECT member_key FROM member_state WHERE feed = ? AND account = ?"
                                + " ORDER BY RANDOM() LIMIT ?)");
                statement.setFetchSize(10_000);
                statement.setString(1, feed);
                statement.setString(2, owner.account());
                if (!all) {
                    statement.setString(3, feed);
                    statement.setString(4, owner.account());
                    statement.setLong(5, count);
                }
                return statement;
            }, rs -> {
                batch.add(new Object[] {verifyId, rs.getString(1),
                        scope.apply((ObjectNode) json.readTree(rs.getString(2))), CheckResult.PENDING.name()});
                if (batch.size() == 10_000) {
                    insertMembers(batch);
                }
            });
            insertMembers(batch);
            return verifyId;
        });
    }

    private void insertMembers(List<Object[]> batch) {
        jdbc.batchUpdate("INSERT INTO verify_member (verify_id, member_key, scope, result) VALUES (?, ?, ?, ?)", batch);
        batch.clear();
    }

    /** Members not checked yet, per list scope (null: read one at a time). */
    public Map<String, Long> pendingByScope(long verifyId) {
        Map<String, Long> pending = new LinkedHashMap<>();
        jdbc.query("SELECT scope, COUNT(*) FROM verify_member WHERE verify_id = ? AND result = ? GROUP BY scope ORDER BY scope",
                rs -> {
                    pending.put(rs.getString(1), rs.getLong(2));
                }, verifyId, CheckResult.PENDING.name());
        return pending;
    }

    /** Members of the verify, per list scope. */
    public Map<String, Long> membersByScope(long verifyId) {
        Map<String, Long> members = new LinkedHashMap<>();
        jdbc.query("SELECT scope, COUNT(*) FROM verify_member WHERE verify_id = ? GROUP BY scope", rs -> {
            members.put(rs.getString(1), rs.getLong(2));
        }, verifyId);
        return members;
    }

    /** Up to {@code limit} members not checked yet, after {@code afterKey} in key order, with their synced state. */
    public List<Member> pending(long verifyId, String feed, String afterKey, int limit) {
        return jdbc.query("""
                SELECT v.member_key, v.scope, s.fields, s.managed, s.row_hash
                  FROM verify_member v JOIN member_state s ON s.feed = ? AND s.member_key = v.member_key
                 WHERE v.verify_id = ? AND v.result = ? AND v.member_key > ?
                 ORDER BY v.member_key LIMIT ?""", this::member, feed, verifyId, CheckResult.PENDING.name(), afterKey,
                limit);
    }

    /** Those of {@code keys} that are members of the verify not checked yet, with their synced state. */
    public List<Member> pendingAmong(long verifyId, String feed, Collection<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("feed", feed)
                .addValue("verify", verifyId).addValue("pending", CheckResult.PENDING.name()).addValue("keys", keys);
        return named.query("""
                SELECT v.member_key, v.scope, s.fields, s.managed, s.row_hash
                  FROM verify_member v JOIN member_state s ON s.feed = :feed AND s.member_key = v.member_key
                 WHERE v.verify_id = :verify AND v.result = :pending AND v.member_key IN (:keys)""", parameters,
                this::member);
    }

    /** The members found drifted, with their synced state, in key order. */
    public void forEachDriftedMember(long verifyId, String feed, BiConsumer<Member, ArrayNode> action) {
        jdbc.query("""
                SELECT v.member_key, v.scope, s.fields, s.managed, s.row_hash, v.drift
                  FROM verify_member v JOIN member_state s ON s.feed = ? AND s.member_key = v.member_key
                 WHERE v.verify_id = ? AND v.result = ? ORDER BY v.member_key""",
                rs -> {
                    action.accept(member(rs, 0), (ArrayNode) json.readTree(rs.getString(6)));
                }, feed, verifyId, CheckResult.DRIFTED.name());
    }

    private Member member(ResultSet rs, int row) throws SQLException {
        String managed = rs.getString(4);
        return new Member(rs.getString(1), rs.getString(2), (ObjectNode) json.readTree(rs.getString(3)),
                managed == null ? null : managed.isEmpty() ? List.of() : List.of(managed.split(",")), rs.getLong(5));
    }

    /** Records what checks found, and where the list they came from now stands, in one transaction. */
    public void record(long verifyId, List<Checked> checked, Position position) {
        transaction.executeWithoutResult(tx -> {
            List<Object[]> rows = new ArrayList<>(checked.size());
            for (Checked c : checked) {
                rows.add(new Object[] {c.result().name(), c.drift() == null ? null : json.writeValueAsString(c.drift()),
                        verifyId, c.key()});
            }
            jdbc.batchUpdate("UPDATE verify_member SET result = ?, drift = ? WHERE verify_id = ? AND member_key = ?", rows);
            if (position != null) {
                int updated = jdbc.update("UPDATE verify_cursor SET position = ?, done = ? WHERE verify_id = ? AND scope = ?",
                        position.next(), position.done(), verifyId, position.scope());
                if (updated == 0) {
                    jdbc.update("INSERT INTO verify_cursor (verify_id, scope, position, done) VALUES (?, ?, ?, ?)",
                            verifyId, position.scope(), position.next(), position.done());
                }
            }
        });
    }

    /** Where the list of {@code scope} stands; empty before its first page. */
    public Optional<Position> position(long verifyId, String scope) {
        return jdbc.query("SELECT position, done FROM verify_cursor WHERE verify_id = ? AND scope = ?",
                (rs, i) -> new Position(scope, rs.getString(1), rs.getBoolean(2)), verifyId, scope).stream().findFirst();
    }

    /** Members by result. */
    public Map<CheckResult, Long> counts(long verifyId) {
        Map<CheckResult, Long> counts = new EnumMap<>(CheckResult.class);
        for (CheckResult result : CheckResult.values()) {
            counts.put(result, 0L);
        }
        jdbc.query("SELECT result, COUNT(*) FROM verify_member WHERE verify_id = ? GROUP BY result", rs -> {
            counts.put(CheckResult.valueOf(rs.getString(1)), rs.getLong(2));
        }, verifyId);
        return counts;
    }

    /** Managed fields found drifted over the verify's members. */
    public long driftedFields(long verifyId) {
        long[] fields = {0};
        forEachDrifted(verifyId, checked -> fields[0] += checked.drift().size());
        return fields[0];
    }

    /** The members found drifted or not found, in key order. */
    public void forEachFinding(long verifyId, Consumer<Checked> action) {
        jdbc.query("SELECT member_key, result, drift FROM verify_member WHERE verify_id = ? AND result IN (?, ?) ORDER BY member_key",
                rs -> {
                    String drift = rs.getString(3);
                    action.accept(new Checked(rs.getString(1), CheckResult.valueOf(rs.getString(2)),
                            drift == null ? json.createArrayNode() : (ArrayNode) json.readTree(drift)));
                }, verifyId, CheckResult.DRIFTED.name(), CheckResult.NOT_FOUND.name());
    }

    /** The members found drifted, in key order. */
    public void forEachDrifted(long verifyId, Consumer<Checked> action) {
        forEachFinding(verifyId, checked -> {
            if (checked.result() == CheckResult.DRIFTED) {
                action.accept(checked);
            }
        });
    }

    /** Where the verify stands, worked on by {@code runId}. */
    public void status(long verifyId, long runId, Status status, String message) {
        jdbc.update("UPDATE verify_run SET run_id = ?, status = ?, message = ?, finished_at = ? WHERE verify_id = ?",
                runId, status.name(), message == null ? null : FeedRunRepository.truncate(message),
                status == Status.CHECKING ? null : Timestamp.from(clock.instant()), verifyId);
    }

    /** Records the feed run (a job instance) that repairs the verify's drift. */
    public void repairedBy(long verifyId, long feedRunId) {
        jdbc.update("UPDATE verify_run SET repair_feed_run = ? WHERE verify_id = ?", feedRunId, verifyId);
    }
}
