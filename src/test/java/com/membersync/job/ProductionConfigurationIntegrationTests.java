package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.SandboxServer;
import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shape production runs in: one feed per vendor, all synced by one {@code run} against PostgreSQL, night after
 * night; and feeds split over processes that share one state store. Repeated, because a race between feeds shows
 * in some runs and not in others: a few times in every build, ten times and more in the stress profile
 * ({@code ./mvnw -B verify -Pstress}, which {@code .ci/run} runs after the suite).
 */
class ProductionConfigurationIntegrationTests {

    /** How many times each scenario runs: {@code -Dtest.repeats=10} in the stress profile. */
    static final int REPEATS = Integer.getInteger("test.repeats", 2);

    static final int HANG_MEMBERS = 20;
    static final int DECODA_PLANS = 10;
    static final int MAYAR_MEMBERS = 8;
    static final List<String> FEEDS = List.of("hang-members", "decoda-memberships", "mayar-members");

    @Test
    void everyFeedInOneRunOnAFreshStateStoreCompletesEveryTime() throws Exception {
        List<String> failed = new ArrayList<>();
        for (int attempt = 0; attempt < REPEATS; attempt++) {
            try (SyncFixture fixture = productionFixture("prod_fresh")) {
                writeInputs(fixture, attempt);

                CliRun run = fixture.run("run");

                if (run.exitCode() != 0) {
                    failed.add("attempt " + attempt + ": exit " + run.exitCode() + "\n" + run.out() + run.err());
                } else {
                    assertVendorsHold(fixture.sandbox(), attempt);
                }
            }
        }
        assertThat(failed).as("%d of %d runs on a fresh state store failed", failed.size(), REPEATS).isEmpty();
    }

    @Test
    void everyFeedInOneRunNightAfterNightCompletesEveryTime() throws Exception {
        try (SyncFixture fixture = productionFixture("prod_nightly")) {
            List<String> failed = new ArrayList<>();
            for (int night = 0; night <= REPEATS; night++) {
                writeInputs(fixture, night);

                ReportedRun run = fixture.report("run");
                boolean firstTime = run.exitCode() == 0;

                for (int rerun = 0; run.exitCode() != 0 && rerun < 3; rerun++) {
                    failed.add("night " + night + ": exit " + run.exitCode() + "\n" + run.output());
                    run = fixture.report("run"); // resumes what the failed run left
                }
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertVendorsHold(fixture.sandbox(), night);
                if (night > 0 && firstTime) {
                    // Each night changes two rows of every feed, so every feed plans and delivers.
                    for (String feed : FEEDS) {
                        assertThat(run.counts(feed)).as(run.output())
                                .containsPattern("synced=2 rejected=0 refused=0 failed=0 pending=0");
                    }
                }
            }
            assertThat(failed).as("%d runs of %d nights failed", failed.size(), REPEATS + 1).isEmpty();
        }
    }

    @Test
    void everyFeedCompletesEvenWhenTheStateStoreRunsEveryTransactionSerializable() throws Exception {
        // As with a DBA's default_transaction_isolation = serializable: any transaction may be aborted (40001).
        try (SyncFixture fixture = productionFixture("prod_serializable")) {
            fixture.settings().put("spring.datasource.hikari.transaction-isolation", "TRANSACTION_SERIALIZABLE");
            List<String> failed = new ArrayList<>();
            for (int night = 0; night < REPEATS; night++) {
                writeInputs(fixture, night);

                CliRun run = fixture.run("run");

                if (run.exitCode() != 0) {
                    failed.add("night " + night + ": exit " + run.exitCode() + "\n" + run.out() + run.err());
                    run = fixture.run("run");
                }
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                assertVendorsHold(fixture.sandbox(), night);
            }
            assertThat(failed).as("%d runs of %d nights failed", failed.size(), REPEATS).isEmpty();
        }
    }

    @Test
    void processesOfDifferentFeedsStartedTogetherOnOneStateStoreAllComplete() throws Exception {
        List<String> failed = new ArrayList<>();
        for (int attempt = 0; attempt < Math.max(1, REPEATS / 2); attempt++) {
            try (SyncFixture fixture = productionFixture("prod_split")) {
                writeInputs(fixture, attempt);

                List<MemberSyncProcess> processes = new ArrayList<>();
                for (String feed : FEEDS) {
                    processes.add(MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run", "--feed", feed));
                }

                boolean allDone = true;
                for (MemberSyncProcess process : processes) {
                    int exit = process.waitFor(Duration.ofMinutes(2));
                    if (exit != 0) {
                        allDone = false;
                        failed.add("attempt " + attempt + ": exit " + exit + "\n" + process.output());
                    }
                }
                if (allDone) {
                    assertVendorsHold(fixture.sandbox(), attempt);
                }
            }
        }
        assertThat(failed).as("%d processes of %d failed", failed.size(), Math.max(1, REPEATS / 2) * FEEDS.size())
                .isEmpty();
    }

    /** A feed of each vendor as the README's configuration sets them up; Mayar's limit raised for the sandbox. */
    static SyncFixture productionFixture(String name) throws IOException {
        SyncFixture fixture = new SyncFixture(name);
        fixture.feed("hang-members", "hang", fixture.folder().resolve("hang-members.csv"));
        fixture.feed("decoda-memberships", "decoda", fixture.folder().resolve("decoda-memberships.csv"));
        fixture.feed("mayar-members", "mayar", fixture.folder().resolve("mayar-members.csv"));
        fixture.settings().put("member-sync.feeds.mayar-members.zone", "Asia/Jakarta");
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "600/min");
        return fixture;
    }

    /** Every feed's input for {@code night}: two rows of each change from one night to the next. */
    static void writeInputs(SyncFixture fixture, int night) throws IOException {
        StringBuilder hang = new StringBuilder("program_membership_id,external_user_id,first_name,email,phone\n");
        for (int i = 0; i < HANG_MEMBERS; i++) {
            hang.append(String.format(Locale.ROOT, "pm_%03d,crm-%d,Member %d,%s,(415) 555-%04d%n", i, i, i,
                    hangEmail(i, night), i));
        }
        fixture.file("hang-members.csv", hang.toString());
        StringBuilder decoda = new StringBuilder("membership_id,name,price,billingFrequency\n");
        for (int i = 0; i < DECODA_PLANS; i++) {
            decoda.append(String.format(Locale.ROOT, "plan_%02d,Plan %d,%d,MONTHLY%n", i, i, decodaPrice(i, night)));
        }
        fixture.file("decoda-memberships.csv", decoda.toString());
        StringBuilder mayar = new StringBuilder("memberId,productId,membershipMonthlyPeriod,status\n");
        for (int i = 0; i < MAYAR_MEMBERS; i++) {
            mayar.append(String.format(Locale.ROOT, "MBR%05d,prod-1,%d,active%n", i, mayarPeriod(i, night)));
        }
        fixture.file("mayar-members.csv", mayar.toString());
    }

    static String hangEmail(int member, int night) {
        return member < 2 ? "m" + member + ".n" + night + "@example.com" : "m" + member + "@example.com";
    }

    static long decodaPrice(int plan, int night) {
        return plan < 2 ? 10_000 + night * 100 + plan : 5_000 + plan;
    }

    static int mayarPeriod(int member, int night) {
        return member < 2 ? 1 + night : 1;
    }

    /** The vendors hold exactly the rows of {@code night}'s inputs, no more, no fewer. */
    static void assertVendorsHold(SandboxServer sandbox, int night) {
        Map<String, ?> hang = sandbox.hang().memberships();
        assertThat(hang).hasSize(HANG_MEMBERS);
        for (int i = 0; i < HANG_MEMBERS; i++) {
            assertThat(sandbox.hang().membership(String.format(Locale.ROOT, "pm_%03d", i)).orElseThrow()
                    .path("email").asString()).isEqualTo(hangEmail(i, night));
        }
        assertThat(sandbox.decoda().memberships()).hasSize(DECODA_PLANS);
        for (int i = 0; i < DECODA_PLANS; i++) {
            assertThat(sandbox.decoda().membership(String.format(Locale.ROOT, "plan_%02d", i)).orElseThrow()
                    .path("price").asLong()).isEqualTo(decodaPrice(i, night));
        }
        assertThat(sandbox.mayar().members()).hasSize(MAYAR_MEMBERS);
        for (int i = 0; i < MAYAR_MEMBERS; i++) {
            assertThat(sandbox.mayar().member(String.format(Locale.ROOT, "MBR%05d", i)).orElseThrow()
                    .path("monthlyPaymentPeriod").asInt()).isEqualTo(mayarPeriod(i, night));
        }
    }
}
