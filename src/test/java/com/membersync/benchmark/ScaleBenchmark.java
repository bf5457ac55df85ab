package com.membersync.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.RateLimit;
import com.membersync.sandbox.MayarSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.sandbox.SandboxServer;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SyncFixture;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How far one pod goes. Run with {@code ./mvnw -B verify -Pscale-benchmark}.
 *
 * <ol>
 * <li>One rate-limit group's budget used by 1, 2 and 4 processes at once, each syncing a Mayar account of its own,
 * behind a gateway that enforces the group's limit over any second: the answers per second against the limit, the
 * 429s, and the most requests in any second; and, for comparison, 4 processes whose accounts are each a group of their
 * own, as every process paced by itself before groups existed.</li>
 * <li>One pod running many feeds side by side: 50 accounts of 20,000 unchanged members each in one {@code run},
 * against one feed of 1,000,000 unchanged members, each in a JVM of its own with {@code -Xmx512m}: time and heap.</li>
 * </ol>
 */
class ScaleBenchmark {

    /**
     * The group's limit, enforced by the gateway over a sliding window of its length: per minute, as Mayar's, so that
     * the 3 % margin (1.8 s) is what a real gateway's delays see; {@code -Dbenchmark.limit=20/s} tries a second's.
     */
    private static final RateLimit LIMIT = RateLimit.parse(System.getProperty("benchmark.limit", "600/min"));
    /** How long the work takes at the limit: two windows of a minute. */
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 120);

    record Budget(String scenario, int processes, double perSecond, long tooMany, int mostInAWindow, double seconds) {
        double share() {
            return perSecond / LIMIT.perSecond();
        }
    }

    record Timed(String scenario, double seconds, long peakHeapMb) {}

    /** The parts to run ({@code -Dbenchmark.parts=budget} or {@code feeds}): both by default. */
    private static final String PARTS = System.getProperty("benchmark.parts", "budget,feeds");

    @Test
    void oneGroupsBudgetAcrossProcessesAndManyFeedsInOnePod() throws Exception {
        if (PARTS.contains("budget")) {
            budgets();
        }
        if (PARTS.contains("feeds")) {
            feeds();
        }
    }

    private static void budgets() throws Exception {
        List<Budget> budgets = new ArrayList<>();
        for (int processes : List.of(1, 2, 4)) {
            budgets.add(budget(processes, true));
        }
        budgets.add(budget(4, false));

        System.out.println();
        System.out.printf(Locale.ROOT, "== One rate-limit group's budget across processes: %s enforced over any window of"
                + " %d s, %d s of work ==%n", LIMIT, LIMIT.window().toSeconds(), SECONDS);
        Budget single = budgets.getFirst();
        for (Budget b : budgets) {
            System.out.printf(Locale.ROOT, "  %-44s %d process(es): %5.2f answers/s = %5.1f %% of %s (%.2fx one process),"
                            + " %3d x 429, most in any window: %d, over %.1f s%n", b.scenario(), b.processes(),
                    b.perSecond(), 100 * b.share(), LIMIT, b.perSecond() / single.perSecond(), b.tooMany(),
                    b.mostInAWindow(), b.seconds());
        }
        Budget four = budgets.get(2);
        System.out.printf(Locale.ROOT, "  goal: >= 90 %% of the limit across 4 processes with 0 x 429: %s (%.1f %%, %d x 429)%n",
                met(four.share() >= 0.9 && four.tooMany() == 0), 100 * four.share(), four.tooMany());
        System.out.println();
        for (Budget b : budgets.subList(0, 3)) {
            assertThat(b.tooMany()).as(b.scenario()).isZero();
            assertThat(b.mostInAWindow()).as(b.scenario()).isLessThanOrEqualTo(LIMIT.permits());
        }
    }

    private static void feeds() throws Exception {
        Timed many = manyFeeds(Integer.getInteger("benchmark.feeds", 50), Integer.getInteger("benchmark.members", 20_000));
        Timed one = manyFeeds(1, Integer.getInteger("benchmark.million", 1_000_000));
        System.out.println();
        System.out.println("== One pod, many feeds: unchanged members, own JVM, -Xmx512m, best of three ==");
        System.out.printf(Locale.ROOT, "  %-44s %6.2f s, peak heap %d MB%n", many.scenario(), many.seconds(), many.peakHeapMb());
        System.out.printf(Locale.ROOT, "  %-44s %6.2f s, peak heap %d MB (baseline)%n", one.scenario(), one.seconds(), one.peakHeapMb());
        System.out.printf(Locale.ROOT, "  goal: within 1.5x of the baseline %s (%.2fx); heap <= 512 MB %s (%d MB)%n",
                met(many.seconds() <= 1.5 * one.seconds()), many.seconds() / one.seconds(), met(many.peakHeapMb() <= 512),
                many.peakHeapMb());
        System.out.println();
    }

    /**
     * {@code processes} processes at once, each syncing its own Mayar account, all behind one gateway of {@code LIMIT}
     * a second; {@code shared}: the accounts are Mayar's one group, else each a group of its own.
     */
    private static Budget budget(int processes, boolean shared) throws Exception {
        int rows = (int) (LIMIT.perSecond() * SECONDS / processes);
        try (SyncFixture fixture = new SyncFixture("scale_budget")) {
            SandboxServer sandbox = fixture.sandbox();
            sandbox.mayar().behaviour().rateLimit(LIMIT.permits(), LIMIT.window());
            // the fixture configures Mayar's own account too, and a group paces at the lowest limit of its accounts
            fixture.settings().put("member-sync.vendors.mayar.rate-limit", LIMIT.toString());
            List<MayarSandbox> accounts = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                String account = "mayar-" + p;
                fixture.account(account, "mayar", "p" + p);
                accounts.add(sandbox.mayar("p" + p));
                fixture.settings().put("member-sync.vendors." + account + ".rate-limit", LIMIT.toString());
                fixture.settings().put("member-sync.vendors." + account + ".rate-limit-group", shared ? "mayar" : account);
                StringBuilder csv = new StringBuilder("memberId,productId\n");
                for (int i = 0; i < rows; i++) {
                    csv.append(String.format(Locale.ROOT, "MBR%06d,prod-%d%n", i, p));
                }
                fixture.feed("feed-" + p, account, fixture.file("feed-" + p + ".csv", csv.toString()));
            }
            List<MemberSyncProcess> running = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                running.add(MemberSyncProcess.start(fixture.folder(), fixture.settings(), "run", "--feed", "feed-" + p));
            }
            for (MemberSyncProcess process : running) {
                int exit = process.waitFor(Duration.ofMinutes(10));
                if (shared) {
                    assertThat(exit).as(process.output()).isZero();
                }
            }
            List<RecordedRequest> requests = accounts.stream().flatMap(a -> a.requests().stream()).toList();
            List<Instant> accepted = requests.stream().filter(r -> r.status() != 429).map(RecordedRequest::at).sorted()
                    .toList();
            double seconds = Duration.between(accepted.getFirst(), accepted.getLast()).toNanos() / 1e9;
            Budget budget = new Budget(shared ? "one group (Mayar's, the default)" : "a group per account (each paced alone)",
                    processes, (accepted.size() - 1) / seconds, requests.stream().filter(r -> r.status() == 429).count(),
                    SyncFixture.maxInWindow(accepted, LIMIT.window()), seconds);
            System.out.println("scale: " + budget);
            return budget;
        }
    }

    /**
     * {@code feeds} Hang accounts of {@code members} unchanged members each, synced by one {@code run}: the cached
     * state seeded, a first run that records the rows' fingerprints, then the best of three timed runs.
     */
    private static Timed manyFeeds(int feeds, int members) throws Exception {
        try (SyncFixture fixture = new SyncFixture("scale_feeds")) {
            fixture.settings().put("member-sync.vendors.hang.rate-limit", "100000/s");
            fixture.settings().put("member-sync.vendors.hang.max-concurrency", 64);
            for (int f = 0; f < feeds; f++) {
                String account = feeds == 1 ? "hang" : "hang-" + f;
                if (feeds > 1) {
                    fixture.account(account, "hang", "a" + f);
                    fixture.settings().put("member-sync.vendors." + account + ".rate-limit", "100000/s");
                    fixture.settings().put("member-sync.vendors." + account + ".max-concurrency", 16);
                }
                Path csv = generate(fixture.folder().resolve("feed-" + f + ".csv"), members);
                fixture.feed("feed-" + f, account, csv);
                CachedState.seed(fixture.settings(), "feed-" + f, account, csv);
            }
            // The first run diffs every member in full and records their fingerprints, as the nights before would have.
            MemberSyncProcess first = MemberSyncProcess.start(fixture.folder(), fixture.settings(), List.of("-Xmx1g"), "run");
            assertThat(first.waitFor(Duration.ofMinutes(30))).as(tail(first.output())).isZero();
            assertThat(fixture.sandbox().accounts("hang").stream().flatMap(a -> a.requests().stream()))
                    .as("the seeded state is in step: nothing sent").isEmpty();
            Timed best = null;
            for (int pass = 0; pass < 3; pass++) {
                Timed run = timed(fixture, feeds + " feed(s) of " + String.format(Locale.ROOT, "%,d", members)
                        + " members");
                best = best == null || run.seconds() < best.seconds() ? run : best;
                System.out.println("scale: " + run);
            }
            return best;
        }
    }

    private static Timed timed(SyncFixture fixture, String scenario) throws Exception {
        Path gcLog = fixture.folder().resolve("gc-" + System.nanoTime() + ".log");
        long started = System.nanoTime();
        MemberSyncProcess run = MemberSyncProcess.start(fixture.folder(), fixture.settings(),
                List.of("-Xmx512m", GcLog.option(gcLog)), "run");
        int exit = run.waitFor(Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(exit).as(tail(run.output())).isZero();
        return new Timed(scenario, seconds, GcLog.peakHeapMb(gcLog));
    }

    private static Path generate(Path csv, int members) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("program_membership_id,external_user_id,email\n");
            for (int i = 0; i < members; i++) {
                out.write(String.format(Locale.ROOT, "pm_%07d,crm-%07d,member%d@example.com%n", i, i, i));
            }
        }
        return csv;
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }

    private static String met(boolean met) {
        return met ? "met" : "MISSED";
    }
}
