package com.membersync.state;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The cached remote state: each member's object at the vendor as last confirmed, per feed and account. */
@Repository
public class MemberStateRepository {

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate readOnly;

    MemberStateRepository(JdbcTemplate jdbc, JsonMapper json, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The cached objects of {@code keys}, in one query however many keys there are. */
    public Map<String, ObjectNode> find(StateScope scope, Collection<String> keys) {
        Map<String, ObjectNode> found = new HashMap<>(keys.size() * 2);
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT member_key, fields FROM member_state WHERE feed = ? AND account = ? AND member_key = ANY (?)");
            Array array = connection.createArrayOf("varchar", keys.toArray());
            statement.setString(1, scope.feed());
            statement.setString(2, scope.account());
            statement.setArray(3, array);
            return statement;
        }, rs -> {
            found.put(rs.getString(1), (ObjectNode) json.readTree(rs.getString(2)));
        });
        return found;
    }

    /** What a confirmed write makes of the member: still active, or deactivated. */
    public enum Activity { ACTIVE, DEACTIVATED }

    /**
     * A member's state as a confirmed write leaves it.
     *
     * @param fingerprint the fingerprint of the input row this state is in step with, or null when it is not
     * @param managed     the fields the member's row manages, or null to keep those recorded (a repair)
     */
    public record Confirmed(String key, ObjectNode fields, Long fingerprint, Collection<String> managed,
            Activity activity) {}

    /**
     * Stores the members' confirmed state, in one batch of updates and one of inserts for new members. A member's row
     * of the feed at another account (the feed was pointed elsewhere) becomes this account's.
     */
    public void save(StateScope scope, List<Confirmed> members) {
        if (members.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> updates = new ArrayList<>(members.size());
        for (Confirmed member : members) {
            updates.add(new Object[] {json.writeValueAsString(member.fields()), member.fingerprint(), now,
                    managed(member), member.activity() == Activity.DEACTIVATED ? now : null, scope.account(),
                    scope.feed(), member.key()});
        }
        // One runner per feed, so update-then-insert cannot race with another writer of the same row. Typed, so that
        // a NULL costs no round trip to ask the database its type: this runs for every answer.
        int[] updated = jdbc.batchUpdate("""
                UPDATE member_state SET fields = ?, row_hash = ?, synced_at = ?, managed = COALESCE(?, managed),
                       deactivated_at = ?, account = ?
                 WHERE feed = ? AND member_key = ?""", updates, new int[] {Types.VARCHAR, Types.BIGINT,
                Types.TIMESTAMP, Types.VARCHAR, Types.TIMESTAMP, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR});
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                Object[] u = updates.get(i);
                inserts.add(new Object[] {scope.feed(), scope.account(), u[7], u[0], u[1], u[2], u[3], u[4]});
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO member_state (feed, account, member_key, fields, row_hash, synced_at, managed,
                                              deactivated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", inserts, new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                    Types.VARCHAR, Types.BIGINT, Types.TIMESTAMP, Types.VARCHAR, Types.TIMESTAMP});
        }
    }

    private static String managed(Confirmed member) {
        return member.managed() == null ? null : String.join(",", member.managed());
    }

    /** Of {@code keys}, the members deactivated at the vendor because they had left the input. */
    public Set<String> deactivated(StateScope scope, Collection<String> keys) {
        Set<String> deactivated = new HashSet<>();
        if (keys.isEmpty()) {
            return deactivated;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT member_key FROM member_state WHERE feed = ? AND account = ? AND member_key = ANY (?)"
                            + " AND deactivated_at IS NOT NULL");
            statement.setString(1, scope.feed());
            statement.setString(2, scope.account());
            statement.setArray(3, connection.createArrayOf("varchar", keys.toArray()));
            return statement;
        }, rs -> {
            deactivated.add(rs.getString(1));
        });
        return deactivated;
    }

    /** An active member of the feed: its key, its synced state, and when it was last synced. */
    public record Active(String key, ObjectNode fields, Instant syncedAt) {}

    /**
     * Streams the feed's active members whose key {@code wanted} accepts (as UTF-8 bytes, see
     * {@link FingerprintConsumer}), with their state: finding the absent ones, after the index said how many.
     */
    public void forEachActive(StateScope scope, BiPredicate<byte[], Integer> wanted, Consumer<Active> action) {
        readOnly.executeWithoutResult(tx -> jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT member_key, fields, synced_at FROM member_state"
                    + " WHERE feed = ? AND account = ? AND deactivated_at IS NULL");
            statement.setFetchSize(10_000);
            statement.setString(1, scope.feed());
            statement.setString(2, scope.account());
            return statement;
        }, rs -> {
            String key = rs.getString(1);
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (wanted.test(bytes, bytes.length)) {
                action.accept(new Active(key, (ObjectNode) json.readTree(rs.getString(2)),
                        rs.getTimestamp(3).toInstant()));
            }
        }));
    }

    /** Records that these members' cached state is in step with the input rows of these fingerprints. */
    public void saveFingerprints(StateScope scope, Map<String, Long> fingerprints) {
        if (fingerprints.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(fingerprints.size());
        fingerprints.forEach((key, fingerprint) -> rows.add(new Object[] {fingerprint, scope.feed(), scope.account(), key}));
        jdbc.batchUpdate("UPDATE member_state SET row_hash = ? WHERE feed = ? AND account = ? AND member_key = ?", rows);
    }

    /**
     * Receives a member's key as UTF-8 bytes ({@code key[0, length)}, a buffer reused for the next member), the
     * fingerprint its state is in step with (0: none), and whether it is active (not deactivated).
     */
    @FunctionalInterface
    public interface FingerprintConsumer {
        void accept(byte[] key, int length, long fingerprint, boolean active);
    }

    /**
     * Streams the feed's members with their fingerprints, without holding them all in memory. Planning loads a million of them
     * on every run, so on PostgreSQL they come as a binary COPY: no row objects, no strings, keys as their bytes.
     */
    public void forEachFingerprint(StateScope scope, FingerprintConsumer action) {
        // One read-only transaction: one snapshot of the state, streamed (a fetch size needs a transaction).
        readOnly.executeWithoutResult(tx -> jdbc.execute((ConnectionCallback<Void>) connection -> {
            if (connection.isWrapperFor(PGConnection.class)) {
                copyFingerprints(connection.unwrap(PGConnection.class), scope, action);
                return null;
            }
            try (var statement = connection.prepareStatement(
                    "SELECT member_key, row_hash, deactivated_at IS NULL FROM member_state WHERE feed = ? AND account = ?")) {
                statement.setFetchSize(10_000);
                statement.setString(1, scope.feed());
                statement.setString(2, scope.account());
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        byte[] key = rs.getString(1).getBytes(StandardCharsets.UTF_8);
                        action.accept(key, key.length, rs.getLong(2), rs.getBoolean(3));
                    }
                }
            }
            return null;
        }));
    }

    /** Reads (member_key, row_hash, active) tuples in COPY's binary format: a header, then per tuple its fields. */
    private static void copyFingerprints(PGConnection connection, StateScope scope, FingerprintConsumer action)
            throws SQLException {
        // COPY takes no parameters; feed and account names are settings' keys, quoted as literals all the same.
        String sql = "COPY (SELECT member_key, row_hash, deactivated_at IS NULL FROM member_state WHERE feed = "
                + literal(scope.feed()) + " AND account = " + literal(scope.account()) + ") TO STDOUT (FORMAT binary)";
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new PGCopyInputStream(connection, sql),
                1 << 16))) {
            in.skipNBytes(11 + 4); // signature and flags
            in.skipNBytes(in.readInt()); // header extension
            byte[] key = new byte[256];
            while (key != null) {
                key = copyTuple(in, key, action);
            }
        } catch (IOException e) {
            throw new SQLException("reading the cached fingerprints: " + e.getMessage(), e);
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * One tuple: its field count (-1 ends the data), the key's length and bytes, the fingerprint's length (8, or -1
     * for NULL) and value, the active flag's length (1) and byte. A method of its own, so that the JIT compiles it
     * after a few hundred tuples rather than waiting for the loop around it. Returns the key buffer for the next
     * tuple, or null at the end.
     */
    private static byte[] copyTuple(DataInputStream in, byte[] key, FingerprintConsumer action) throws IOException {
        if (in.readShort() != 3) {
            return null;
        }
        int length = in.readInt();
        byte[] buffer = length > key.length ? new byte[length] : key;
        in.readFully(buffer, 0, length);
        long fingerprint = in.readInt() < 0 ? 0 : in.readLong();
        in.skipNBytes(4);
        action.accept(buffer, length, fingerprint, in.readByte() != 0);
        return buffer;
    }

    /** Inserts many members' state at once (a feed's first load); existing members are not touched. */
    public void insertAll(StateScope scope, Map<String, ObjectNode> states) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(states.size());
        states.forEach((key, fields) -> rows.add(new Object[] {scope.feed(), scope.account(), key,
                json.writeValueAsString(fields), now}));
        jdbc.batchUpdate("INSERT INTO member_state (feed, account, member_key, fields, synced_at) VALUES (?, ?, ?, ?, ?)",
                rows);
    }

    /** How many members the feed synced at its account. */
    public long count(StateScope scope) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM member_state WHERE feed = ? AND account = ?", Long.class,
                scope.feed(), scope.account());
        return n == null ? 0 : n;
    }
}
