package com.membersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.HangSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.sandbox.SandboxBehaviour.Fault;
import com.membersync.support.CliRun;
import com.membersync.support.ReportedRun;
import com.membersync.support.StrictTiming;
import com.membersync.support.SyncFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery engine against a misbehaving vendor: faults, 429s, an outage, a rate limit enforced exactly. */
class DeliveryResilienceIntegrationTests {


    private SyncFixture fixture;
    private HangSandbox hang;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("delivery");
        hang = fixture.sandbox().hang();
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "1000/s");
        fixture.settings().put("member-sync.vendors.hang.timeout", "500ms");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void withFaultsEveryRowEndsSyncedOrFailedAndTheCountsAddUp() throws Exception {
        members(300);
        hang.behaviour().randomFaults(0.10, 0.05, 0.02).slowAnswer(Duration.ofSeconds(2)).failNext(5, Fault.TOO_MANY_REQUESTS);
        fixture.settings().put("member-sync.vendors.hang.max-attempts", 6);

        ReportedRun run = fixture.report("run");

        long read = run.count("members", "read"), unchanged = run.count("members", "unchanged");
        long synced = run.count("members", "synced"), rejected = run.count("members", "rejected");
        long refused = run.count("members", "refused"), failed = run.count("members", "failed");
        long pending = run.count("members", "pending");
        assertThat(read).isEqualTo(300);
        assertThat(pending).isZero();
        assertThat(unchanged + synced + rejected + refused + failed).isEqualTo(read);
        assertThat(synced).isGreaterThan(290);
        // a slow answer may be applied by the vendor after our timeout: at least every synced row is there
        assertThat(hang.memberships().size()).isGreaterThanOrEqualTo((int) synced);
        long faults = hang.requests().stream().filter(r -> r.status() == 503 || r.status() == 0).count();
        assertThat(faults).as("faults were injected").isPositive();
        assertThat(run.exitCode()).isEqualTo(failed == 0 ? 0 : 1);
    }

    @Test
    void aRetryAfterIsWaitedOutByTheWholeVendor() throws Exception {
        members(5);
        hang.behaviour().failNext(1, Fault.TOO_MANY_REQUESTS);
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", 1);

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isZero();
        List<RecordedRequest> requests = hang.requests();
        assertThat(requests.getFirst().status()).isEqualTo(429);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(run.count("members", "synced")).isEqualTo(5);
    }

    @Test
    void anOutageOpensTheCircuitAndLeavesTheRestPendingForTheNextRun() throws Exception {
        members(200);
        hang.behaviour().randomFaults(1.0, 0, 0);
        fixture.settings().put("member-sync.vendors.hang.max-attempts", 3);

        ReportedRun down = fixture.report("run");

        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.out()).contains("looks unavailable");
        assertThat(hang.requests()).as("stopped early instead of burning through every row").hasSizeLessThan(100);
        assertThat(down.count("members", "pending")).isPositive();

        hang.behaviour().reset();
        CliRun back = fixture.run("run");

        assertThat(back.exitCode()).isZero();
        assertThat(hang.memberships()).hasSize(200);
    }

    @Test
    @StrictTiming
    void aRateLimitEnforcedOverASlidingWindowIsNeverHit() throws Exception {
        members(60);
        hang.behaviour().rateLimit(20, Duration.ofSeconds(1)).latency(Duration.ofMillis(20), Duration.ofMillis(60));
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "20/s");
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", 8);

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).isZero();
        assertThat(hang.requests()).extracting(RecordedRequest::status).doesNotContain(429).hasSize(60);
    }

    private void members(int n) throws Exception {
        StringBuilder csv = new StringBuilder("program_membership_id,external_user_id\n");
        for (int i = 0; i < n; i++) {
            csv.append("m").append(i).append(",ext-").append(i).append('\n');
        }
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
    }

}
