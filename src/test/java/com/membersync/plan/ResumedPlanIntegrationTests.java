package com.membersync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.HangSandbox;
import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A run killed while planning resumes from its checkpoint and still knows which members the rows before it named:
 * a later row of one of them is rejected as a duplicate, not sent over the first, and the members the export left
 * are counted as absent, as an uninterrupted run counts them.
 */
class ResumedPlanIntegrationTests {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final int MEMBERS = 1010;
    private static final int LEFT = 10;

    private SyncFixture fixture;
    private HangSandbox hang;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("resumed_plan");
        hang = fixture.sandbox().hang();
        fixture.unthrottled();
        fixture.settings().put("member-sync.chunk-size", 50);
        fixture.settings().put("member-sync.feeds.members.max-changes", "100%");
        fixture.settings().put("logging.level.com.membersync", "INFO");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void aResumedPlanRejectsALaterRowOfAMemberNamedBeforeItsCheckpointAndCountsTheAbsent() throws Exception {
        // given 1,010 members synced
        Path csv = fixture.file("members.csv", SyncFixture.hangMembers("pm", MEMBERS));
        fixture.feed("members", "hang", csv);
        assertThat(fixture.run("run").exitCode()).isZero();
        // when an export without the last ten, every email changed and the first member named again on its last
        // line, is killed while planning and run again
        int kept = MEMBERS - LEFT;
        Files.writeString(csv, SyncFixture.hangMembers("pm", kept).replace("@example.com", "@example.org")
                + "pm0,ext-0,again@example.org\n");
        hang.clearRequests();
        fixture.killWhilePlanning(300, kept + 1, RUN_TIMEOUT);
        Path report = fixture.folder().resolve("rerun.json");
        MemberSyncProcess rerun = MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run", "--report",
                report.toString());
        int exit = rerun.waitFor(RUN_TIMEOUT);

        // then the duplicate is rejected naming the first line, the first row is what the vendor holds, and the ten
        // who left are absent
        assertThat(exit).as(rerun.output()).isEqualTo(2);
        assertThat(rerun.output()).contains("read the ").contains("records before the checkpoint again");
        assertThat(ReportedRun.counts(ReportedRun.read(report), "members")).isEqualTo("read=" + (kept + 1)
                + " unchanged=0 synced=" + kept + " rejected=1 refused=0 failed=0 pending=0 absent=" + LEFT);
        assertThat(hang.memberships().get("pm0").get("email").stringValue()).isEqualTo("member0@example.org");
        assertThat(SyncFixture.perPath(hang.served("PATCH")).values()).containsOnly(1L);
        Map<String, JsonNode> bodies = SyncFixture.bodies(hang);
        assertThat(bodies).hasSize(kept);
        CliRun failures = fixture.run("failures");
        assertThat(failures.out()).contains("members line " + (kept + 2) + " key pm0: rejected program_membership_id")
                .contains("line 2 has it already");
    }
}
