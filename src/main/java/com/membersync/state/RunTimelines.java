package com.membersync.state;

import com.membersync.channel.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** What each account's channel sent during a run, second by second, kept for the page of the run. */
@Repository
public class RunTimelines {

    /** One account's seconds in a run, with its vendor and the rate-limit group it drew on. */
    public record AccountTimeline(String account, String vendor, String group, List<Timeline.Second> seconds) {}

    private final JdbcTemplate jdbc;

    RunTimelines(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void save(long runId, List<AccountTimeline> accounts) {
        List<Object[]> rows = new ArrayList<>();
        for (AccountTimeline account : accounts) {
            for (Timeline.Second s : account.seconds()) {
                rows.add(new Object[] {runId, account.account(), account.vendor(), account.group(), s.epochSecond(),
                        s.requests(), s.tooManyRequests(), s.pausedMillis(), s.limitPerSecond()});
            }
        }
        jdbc.batchUpdate("""
                INSERT INTO run_second (run_id, account, vendor, rate_group, at_second, requests, too_many, paused_ms,
                                        rate_limit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
    }

    /** The accounts of the run, by name, each with its seconds in order. */
    public Map<String, AccountTimeline> of(long runId) {
        Map<String, AccountTimeline> accounts = new LinkedHashMap<>();
        jdbc.query("""
                SELECT account, vendor, rate_group, at_second, requests, too_many, paused_ms, rate_limit
                  FROM run_second WHERE run_id = ? ORDER BY account, at_second""", rs -> {
            AccountTimeline account = accounts.get(rs.getString(1));
            if (account == null) {
                account = new AccountTimeline(rs.getString(1), rs.getString(2), rs.getString(3), new ArrayList<>());
                accounts.put(account.account(), account);
            }
            account.seconds().add(new Timeline.Second(rs.getLong(4), rs.getInt(5), rs.getInt(6), rs.getLong(7),
                    rs.getDouble(8)));
        }, runId);
        return accounts;
    }
}
