package com.membersync.state;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The cached remote state: each member's object at the vendor as last confirmed, per feed. */
@Repository
public class MemberStateRepository {

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    MemberStateRepository(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** The cached objects of {@code keys}, in one query however many keys there are. */
    public Map<String, ObjectNode> find(String feed, Collection<String> keys) {
        Map<String, ObjectNode> found = new HashMap<>(keys.size() * 2);
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT member_key, fields FROM member_state WHERE feed = ? AND member_key = ANY (?)");
            Array array = connection.createArrayOf("varchar", keys.toArray());
            statement.setString(1, feed);
            statement.setArray(2, array);
            return statement;
        }, rs -> {
            found.put(rs.getString(1), (ObjectNode) json.readTree(rs.getString(2)));
        });
        return found;
    }

    public void save(String feed, String key, ObjectNode fields) {
        String text = json.writeValueAsString(fields);
        Timestamp now = Timestamp.from(clock.instant());
        // One runner per feed, so update-then-insert cannot race with another writer of the same row.
        int updated = jdbc.update("UPDATE member_state SET fields = ?, synced_at = ? WHERE feed = ? AND member_key = ?",
                text, now, feed, key);
        if (updated == 0) {
            jdbc.update("INSERT INTO member_state (feed, member_key, fields, synced_at) VALUES (?, ?, ?, ?)",
                    feed, key, text, now);
        }
    }

    /** Inserts many members' state at once (a feed's first load); existing members are not touched. */
    public void insertAll(String feed, Map<String, ObjectNode> states) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new java.util.ArrayList<>(states.size());
        states.forEach((key, fields) -> rows.add(new Object[] {feed, key, json.writeValueAsString(fields), now}));
        jdbc.batchUpdate("INSERT INTO member_state (feed, member_key, fields, synced_at) VALUES (?, ?, ?, ?)", rows);
    }

    public long count(String feed) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM member_state WHERE feed = ?", Long.class, feed);
        return n == null ? 0 : n;
    }
}
