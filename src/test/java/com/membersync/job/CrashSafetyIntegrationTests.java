package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.HangSandbox;
import com.membersync.sandbox.SandboxBehaviour;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SyncFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * member-sync as a separate JVM, killed and stopped at awkward moments, then started again: nothing may be
 * lost, and requests sent twice may number no more than those in flight at each kill.
 */
class CrashSafetyIntegrationTests {

    private static final int CONCURRENCY = 8;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private SyncFixture fixture;
    private HangSandbox hang;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("crash");
        hang = fixture.sandbox().hang();
        hang.behaviour().latency(Duration.ofMillis(5), Duration.ofMillis(15));
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "300/s");
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", CONCURRENCY);
        fixture.settings().put("member-sync.chunk-size", 50);
        fixture.settings().put("logging.level.com.membersync", "INFO");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void killedWhilePlanningBetweenStepsAndWhileDeliveringItResumesWithNothingLost() throws Exception {
        members(1500, "ext-");
        // Each moment lasts long enough to be caught: planning waits while its count is looked at, and the first
        // request of the delivery is answered only after two seconds.
        hang.behaviour().slowAnswer(Duration.ofSeconds(2)).failNext(1, SandboxBehaviour.Fault.SLOW_ANSWER);
        fixture.killWhilePlanning(1, 1500, RUN_TIMEOUT);
        int kills = 1;
        List<BooleanSupplier> killMoments = List.of(
                () -> fixture.planned() == 1500 && patches() < 5,            // between the steps
                () -> patches() > 400);                             // while delivering, requests in flight
        for (BooleanSupplier moment : killMoments) {
            MemberSyncProcess run = start("run");
            if (run.awaitOrExit(moment, RUN_TIMEOUT)) {
                run.kill();
                kills++;
            }
        }
        int exit = runToCompletion();

        assertThat(kills).as("a kill at each moment").isEqualTo(1 + killMoments.size());
        assertThat(exit).isZero();
        assertAllSynced(1500, "ext-");
        assertThat(duplicateSends()).isLessThanOrEqualTo(kills * CONCURRENCY);
    }

    @Test
    void sigtermStopsCleanlyAndTheNextRunResumesWithoutDoubleSends() throws Exception {
        members(1000, "ext-");
        MemberSyncProcess run = start("run");
        assertThat(run.awaitOrExit(() -> patches() > 200, RUN_TIMEOUT)).isTrue();

        run.terminate();
        int exit = run.waitFor(Duration.ofSeconds(40));

        assertThat(exit).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("stop");
        assertThat(patches()).isLessThan(1000);
        assertThat(runToCompletion()).isZero();
        assertAllSynced(1000, "ext-");
        assertThat(duplicateSends()).isZero();
    }

    @Test
    void ofTwoRunsStartedTogetherExactlyOneWorksAndTheOtherExits75() throws Exception {
        members(900, "ext-");
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "150/s");

        MemberSyncProcess first = start("run");
        MemberSyncProcess second = start("run");
        List<Integer> exits = new ArrayList<>(List.of(first.waitFor(RUN_TIMEOUT), second.waitFor(RUN_TIMEOUT)));

        assertThat(exits).as(first.output() + "\n---\n" + second.output()).containsExactlyInAnyOrder(0, 75);
        String loser = exits.get(0) == 75 ? first.output() : second.output();
        assertThat(loser).contains("another run of feed members is in progress");
        assertAllSynced(900, "ext-");
        assertThat(duplicateSends()).isZero();
    }

    @Test
    void losingTheDatabaseMidRunFailsCleanlyAndTheNextRunCompletes() throws Exception {
        members(2000, "ext-");
        fixture.settings().put("spring.datasource.hikari.data-source-properties.ApplicationName", "member-sync-db-lost");
        MemberSyncProcess run = start("run");
        assertThat(run.awaitOrExit(() -> patches() > 200, RUN_TIMEOUT)).isTrue();

        // what a PostgreSQL restart does to member-sync: every connection cut, for a few seconds
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until && run.alive()) {
            fixture.schema().jdbc().queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'member-sync-db-lost' AND pid <> pg_backend_pid()");
            Thread.sleep(20);
        }
        int exit = run.waitFor(RUN_TIMEOUT);

        assertThat(exit).as(run.output()).isIn(0, 1);
        if (exit == 1) {
            assertThat(run.output()).contains("state store");
        }
        assertThat(runToCompletion()).isZero();
        assertAllSynced(2000, "ext-");
    }

    @Test
    void anInputChangedAfterACrashIsPlannedAgainFromTheTop() throws Exception {
        members(1500, "ext-");
        fixture.killWhilePlanning(1, 1500, RUN_TIMEOUT);

        members(1500, "new-");
        MemberSyncProcess rerun = start("run");
        int exit = rerun.waitFor(RUN_TIMEOUT);

        assertThat(exit).as(rerun.output()).isZero();
        assertThat(rerun.output()).contains("changed since the interrupted run");
        assertAllSynced(1500, "new-");
    }

    private MemberSyncProcess start(String... command) throws Exception {
        return MemberSyncProcess.start(fixture.folder(), fixture.settings(), command);
    }

    private int runToCompletion() throws Exception {
        String last = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            MemberSyncProcess run = start("run");
            int exit = run.waitFor(RUN_TIMEOUT);
            if (exit != 1) {
                assertThat(exit).as(run.output()).isZero();
                return exit;
            }
            last = run.output();
        }
        throw new AssertionError("never completed; the last run said:\n" + last);
    }

    private long patches() {
        return hang.served("PATCH").size();
    }

    private int duplicateSends() {
        Map<String, Long> perMember = hang.served("PATCH").stream()
                .collect(Collectors.groupingBy(RecordedRequest::path, Collectors.counting()));
        return perMember.values().stream().mapToInt(n -> (int) (n - 1)).sum();
    }

    private void assertAllSynced(int n, String prefix) {
        var memberships = hang.memberships();
        assertThat(memberships).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(memberships.get("m" + i).get("external_user_id").stringValue()).isEqualTo(prefix + i);
        }
    }

    private void members(int n, String prefix) throws Exception {
        StringBuilder csv = new StringBuilder("program_membership_id,external_user_id\n");
        for (int i = 0; i < n; i++) {
            csv.append("m").append(i).append(',').append(prefix).append(i).append('\n');
        }
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
    }
}
