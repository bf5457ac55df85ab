package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.RateLimit;
import com.membersync.sandbox.MayarSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.sandbox.SandboxServer;
import com.membersync.sandbox.VendorSandbox;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A business bigger than one account: a Decoda tenant per clinic, a Hang program per brand, two Mayar accounts behind
 * Mayar's one limit per IP; synced by one {@code run}, by separate processes, and by shards, against one state store
 * and vendors that enforce their limits strictly.
 */
class AccountsIntegrationTests {

    static final int MEMBERS = 6;
    /**
     * Mayar's limit in these tests, per minute as Mayar's own is, shared by every Mayar account: a request every half
     * second for the group, so the accounts' requests must take turns.
     */
    static final RateLimit MAYAR = RateLimit.parse("120/min");
    static final List<String> FEEDS = List.of("clinic-south", "clinic-uptown", "brand-a", "brand-b", "mayar-main",
            "mayar-kids");
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private SyncFixture fixture;
    private SandboxServer sandbox;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture("accounts");
        sandbox = fixture.sandbox();
        fixture.account("decoda-south", "decoda", "south").account("decoda-uptown", "decoda", "uptown")
                .account("hang-a", "hang", "brand-a").account("hang-b", "hang", "brand-b")
                .account("mayar-main", "mayar", "main").account("mayar-kids", "mayar", "kids");
        // every Mayar account shares one budget, the lowest of theirs: the fixture's default account's too
        for (String account : List.of("mayar", "mayar-main", "mayar-kids")) {
            fixture.settings().put("member-sync.vendors." + account + ".rate-limit", MAYAR.toString());
        }
        fixture.settings().put("member-sync.vendors.hang-a.rate-limit", "600/min");
        fixture.settings().put("member-sync.vendors.hang-b.rate-limit", "600/min");
        // strict gateways, per minute: a second's 3 % margin is 30 ms, which a busy test machine's delays can exceed
        sandbox.mayar().behaviour().rateLimit(MAYAR.permits(), MAYAR.window());
        sandbox.hang().behaviour().rateLimit(600, Duration.ofMinutes(1));
        sandbox.decoda().behaviour().rateLimit(600, Duration.ofMinutes(1));
        for (String clinic : List.of("south", "uptown")) {
            for (int i = 0; i < MEMBERS; i++) {
                sandbox.decoda(clinic).seed(plan(i), SyncFixture.object(
                        "{\"name\":\"Plan\",\"price\":100,\"description\":\"" + clinic + " keeps this\"}"));
            }
        }
        writeInputs(0);
        fixture.feed("clinic-south", "decoda-south", fixture.folder().resolve("clinic-south.csv"))
                .feed("clinic-uptown", "decoda-uptown", fixture.folder().resolve("clinic-uptown.csv"))
                .feed("brand-a", "hang-a", fixture.folder().resolve("brand-a.csv"))
                .feed("brand-b", "hang-b", fixture.folder().resolve("brand-b.csv"))
                .feed("mayar-main", "mayar-main", fixture.folder().resolve("mayar-main.csv"))
                .feed("mayar-kids", "mayar-kids", fixture.folder().resolve("mayar-kids.csv"));
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Test
    void oneRunSyncsEveryAccountWithItsOwnCredentialsAndRecordsAndARerunSendsNothing() {
        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.output()).isZero();
        for (String feed : FEEDS) {
            assertThat(run.counts(feed)).startsWith("read=" + MEMBERS + " unchanged=0 synced=" + MEMBERS);
        }
        assertThat(run.feed("clinic-uptown").path("account").asString()).isEqualTo("decoda-uptown");
        assertThat(run.report().path("accounts").path("mayar-kids").path("rateLimitGroup").asString()).isEqualTo("mayar");
        assertThat(run.out()).containsPattern("clinic-uptown\\s+decoda-uptown\\s+decoda\\s+" + MEMBERS);
        assertEveryAccountHoldsExactlyItsRows(0);
        assertTheSharedLimitHeld();

        allAccounts().forEach(VendorSandbox::clearRequests);
        ReportedRun rerun = fixture.report("run");

        assertThat(rerun.exitCode()).as(rerun.output()).isZero();
        assertThat(allAccounts()).allSatisfy(a -> assertThat(a.requests()).as(a.account()).isEmpty());
    }

    @Test
    void feedsOfOneRateLimitGroupInSeparateProcessesStartedTogetherNeverExceedItsBudget() throws Exception {
        List<MemberSyncProcess> processes = new ArrayList<>();
        for (String feed : List.of("mayar-main", "mayar-kids")) {
            processes.add(MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run", "--feed", feed));
        }

        for (MemberSyncProcess process : processes) {
            assertThat(process.waitFor(TIMEOUT)).as(process.output()).isZero();
        }
        assertThat(sandbox.mayar("main").members()).hasSize(MEMBERS);
        assertThat(sandbox.mayar("kids").members()).hasSize(MEMBERS);
        assertTheSharedLimitHeld();
    }

    @Test
    void everyFeedAsThreeShardsStartedTogetherIsSyncedOnceWithinEveryLimit() throws Exception {
        List<MemberSyncProcess> shards = new ArrayList<>();
        for (int shard = 0; shard < 3; shard++) {
            shards.add(MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run", "--shard", shard + "/3"));
        }

        List<String> ran = new ArrayList<>();
        for (MemberSyncProcess shard : shards) {
            assertThat(shard.waitFor(TIMEOUT)).as(shard.output()).isZero();
            ran.add(shard.output());
        }
        assertThat(ran).as("each shard says which feeds it ran")
                .allSatisfy(output -> assertThat(output).containsPattern("shard \\d/3: feeds \\S+, \\S+"));
        assertEveryAccountHoldsExactlyItsRows(0);
        assertTheSharedLimitHeld();

        writeInputs(1);
        allAccounts().forEach(VendorSandbox::clearRequests);
        ReportedRun next = fixture.report("run");

        assertThat(next.exitCode()).as(next.output()).isZero();
        for (String feed : FEEDS) {
            assertThat(next.counts(feed)).as("a night later").startsWith("read=" + MEMBERS + " unchanged=" + (MEMBERS - 2)
                    + " synced=2");
        }
        assertEveryAccountHoldsExactlyItsRows(1);
    }

    /** Each account's feed: the same ids at every account, values that tell the accounts (and nights) apart. */
    private void writeInputs(int night) throws IOException {
        for (String clinic : List.of("south", "uptown")) {
            StringBuilder csv = new StringBuilder("membership_id,name,price\n");
            for (int i = 0; i < MEMBERS; i++) {
                csv.append(plan(i)).append(",").append(clinic).append(" plan ").append(i).append(",")
                        .append(price(clinic, i, night)).append("\n");
            }
            fixture.file("clinic-" + clinic + ".csv", csv.toString());
        }
        for (String brand : List.of("a", "b")) {
            StringBuilder csv = new StringBuilder("program_membership_id,email\n");
            for (int i = 0; i < MEMBERS; i++) {
                csv.append(member(i)).append(",").append(email(brand, i, night)).append("\n");
            }
            fixture.file("brand-" + brand + ".csv", csv.toString());
        }
        for (String account : List.of("main", "kids")) {
            StringBuilder csv = new StringBuilder("memberId,productId,membershipMonthlyPeriod\n");
            for (int i = 0; i < MEMBERS; i++) {
                csv.append(String.format(Locale.ROOT, "MBR%05d", i)).append(",prod-").append(account).append(",")
                        .append(period(account, i, night)).append("\n");
            }
            fixture.file("mayar-" + account + ".csv", csv.toString());
        }
    }

    private void assertEveryAccountHoldsExactlyItsRows(int night) {
        for (String clinic : List.of("south", "uptown")) {
            var plans = sandbox.decoda(clinic).memberships();
            assertThat(plans).as(clinic).hasSize(MEMBERS);
            for (int i = 0; i < MEMBERS; i++) {
                assertThat(plans.get(plan(i)).path("price").asLong()).as(clinic).isEqualTo(price(clinic, i, night));
                assertThat(plans.get(plan(i)).path("description").asString()).isEqualTo(clinic + " keeps this");
            }
            assertEachPathWrittenOnce(sandbox.decoda(clinic).served("PUT"));
        }
        for (String brand : List.of("a", "b")) {
            var members = sandbox.hang("brand-" + brand).memberships();
            assertThat(members).as(brand).hasSize(MEMBERS);
            for (int i = 0; i < MEMBERS; i++) {
                assertThat(members.get(member(i)).path("email").asString()).isEqualTo(email(brand, i, night));
            }
            assertEachPathWrittenOnce(sandbox.hang("brand-" + brand).served("PATCH"));
        }
        for (String account : List.of("main", "kids")) {
            Map<String, ?> members = sandbox.mayar(account).members();
            assertThat(members).as(account).hasSize(MEMBERS);
            for (int i = 0; i < MEMBERS; i++) {
                var member = sandbox.mayar(account).member(String.format(Locale.ROOT, "MBR%05d", i)).orElseThrow();
                assertThat(member.path("paymentLinkId").asString()).isEqualTo("prod-" + account);
                assertThat(member.path("monthlyPaymentPeriod").asInt()).isEqualTo(period(account, i, night));
            }
            assertEachPathWrittenOnce(sandbox.mayar(account).served("POST"));
        }
        // A request whose credentials match no account lands at the default one: none did.
        assertThat(Stream.of(sandbox.hang(), sandbox.decoda(), sandbox.mayar()))
                .allSatisfy(vendor -> assertThat(vendor.requests()).as(vendor.name()).isEmpty());
    }

    private List<VendorSandbox> allAccounts() {
        return Stream.of("hang", "decoda", "mayar").flatMap(vendor -> sandbox.accounts(vendor).stream()).toList();
    }

    private static void assertEachPathWrittenOnce(List<RecordedRequest> writes) {
        assertThat(SyncFixture.perPath(writes).values()).containsOnly(1L);
    }

    /**
     * Mayar's accounts together never got a 429, and took turns: one request of the group every half second, however
     * many processes sent them (two paced alone would each send every half second, side by side). A tenth of a second
     * is left to a busy machine's delays.
     */
    private void assertTheSharedLimitHeld() {
        List<MayarSandbox> mayar = List.of(sandbox.mayar("main"), sandbox.mayar("kids"));
        assertThat(mayar.stream().flatMap(a -> a.requests().stream())).noneMatch(r -> r.status() == 429);
        List<Instant> sent = mayar.stream().flatMap(a -> a.served("POST").stream()).map(RecordedRequest::at).sorted()
                .toList();
        Duration interval = MAYAR.window().dividedBy(MAYAR.permits());
        for (int i = 1; i < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i - 1), sent.get(i))).as("request %d of %d", i, sent.size())
                    .isGreaterThan(interval.minusMillis(100));
        }
        for (String brand : List.of("brand-a", "brand-b")) {
            assertThat(sandbox.hang(brand).requests()).noneMatch(r -> r.status() == 429);
        }
    }

    private static String plan(int i) {
        return String.format(Locale.ROOT, "plan_%02d", i);
    }

    private static String member(int i) {
        return String.format(Locale.ROOT, "pm_%02d", i);
    }

    private static long price(String clinic, int plan, int night) {
        return (clinic.equals("south") ? 10_000 : 20_000) + plan + (plan < 2 ? night * 100 : 0);
    }

    private static String email(String brand, int member, int night) {
        return "m" + member + (member < 2 ? ".n" + night : "") + "@brand-" + brand + ".example";
    }

    private static int period(String account, int member, int night) {
        return (account.equals("main") ? 1 : 6) + (member < 2 ? night : 0);
    }
}
