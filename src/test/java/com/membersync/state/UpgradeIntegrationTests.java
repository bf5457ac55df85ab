package com.membersync.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.VendorSandbox;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A configuration and state store from before accounts existed, upgraded: its vendors are the accounts named like
 * them, its cached state is theirs, and nothing is sent again.
 */
class UpgradeIntegrationTests {

    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture("upgrade");
        fixture.feed("members", "hang", fixture.file("members.csv", SyncFixture.hangMembers("pm", 20)));
        fixture.feed("plans", "decoda", fixture.file("plans.csv", "membership_id,name,price\nplan_1,Glow,9900\n"));
        fixture.feed("subscribers", "mayar", fixture.file("subscribers.csv", "memberId,productId\nMBR1,prod-1\n"));
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "600/min");
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Test
    void aStateStoreFromBeforeAccountsSendsNothingAgainAfterTheUpgrade() throws IOException {
        assertThat(fixture.report("run").exitCode()).isZero();
        // The state store as the release before accounts left it: the same rows, without what accounts added.
        var jdbc = fixture.schema().jdbc();
        jdbc.execute("ALTER TABLE feed_run DROP COLUMN account");
        jdbc.execute("ALTER TABLE verify_run DROP COLUMN account");
        jdbc.execute("ALTER TABLE member_state DROP COLUMN account");
        jdbc.execute("DROP TABLE rate_budget");
        jdbc.execute("DROP TABLE run_second");
        jdbc.execute("ALTER TABLE sync_run DROP COLUMN shard");
        jdbc.update("DELETE FROM flyway_schema_history WHERE version IN ('6', '7', '8')");
        fixture.sandbox().vendors().values().forEach(VendorSandbox::clearRequests);

        ReportedRun upgraded = fixture.report("run");

        assertThat(upgraded.exitCode()).as(upgraded.output()).isZero();
        assertThat(upgraded.counts("members")).startsWith("read=20 unchanged=20 synced=0");
        assertThat(upgraded.counts("plans")).startsWith("read=1 unchanged=1 synced=0");
        assertThat(upgraded.counts("subscribers")).startsWith("read=1 unchanged=1 synced=0");
        assertThat(fixture.sandbox().vendors().values()).allSatisfy(v -> assertThat(v.requests()).isEmpty());
        assertThat(jdbc.queryForList("SELECT DISTINCT account FROM member_state", String.class))
                .containsExactlyInAnyOrder("hang", "decoda", "mayar");

        fixture.file("members.csv", SyncFixture.hangMembers("pm", 20).replace("member7@", "member7.new@"));
        ReportedRun changed = fixture.report("run");

        assertThat(changed.counts("members")).startsWith("read=20 unchanged=19 synced=1");
        assertThat(fixture.sandbox().hang().served("PATCH")).hasSize(1);
    }
}
