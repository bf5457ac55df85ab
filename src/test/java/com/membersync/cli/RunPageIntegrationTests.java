package com.membersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.HangSandbox;
import com.membersync.sandbox.SandboxBehaviour.Fault;
import com.membersync.support.Chromium;
import com.membersync.support.CliRun;
import com.membersync.support.ConnectionTrap;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page of a real sandbox run, opened in headless Chromium: what a person sees (counts, the chart of each
 * account's seconds, the rows that did not sync with personal data masked), a picture of it under target/, and not a
 * single request made by the page. {@code status --run ID --html} writes the same page.
 */
class RunPageIntegrationTests {

    private static final Path SCREENSHOT = Path.of("target", "run-page", "run-page.png");
    private static final int MEMBERS = 20;

    private Chromium chromium;
    private SyncFixture fixture;
    private ConnectionTrap trap;
    private final List<String> emails = new ArrayList<>();
    private final List<String> phones = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        chromium = Chromium.installed();
        fixture = new SyncFixture("run-page");
        trap = new ConnectionTrap();
        // 20 members Hang knows, one it does not (refused: 404), an invalid email and an invalid phone (rejected)
        HangSandbox hang = fixture.sandbox().hang().autoCreate(false);
        StringBuilder csv = new StringBuilder("program_membership_id,email,phone,first_name\n");
        for (int i = 0; i < MEMBERS; i++) {
            String id = "m%02d".formatted(i);
            hang.seed(id, SyncFixture.object("{}"));
            emails.add("member%02d.lopez@example.com".formatted(i));
            phones.add("+1 555 201 77%02d".formatted(i));
            csv.append(id).append(',').append(emails.getLast()).append(',').append(phones.getLast()).append(",Ana\n");
        }
        csv.append("m90,joe.smith@@example.com,,Joe\n").append("m91,,+1 555 12,Wei\n")
                .append("m92,stranger.person@example.com,+1 555 201 9999,Sam\n");
        emails.addAll(List.of("joe.smith", "stranger.person@example.com"));
        phones.addAll(List.of("+1 555 12", "+1 555 201 9999", "+15552019999"));
        fixture.feed("members", "hang", fixture.file("members.csv", csv.toString()));
        // member-sync paces at 8/s where Hang takes 4: 429s, and the account pauses; the first request answers 503
        // and, with one attempt per row, fails its row
        hang.behaviour().rateLimit(4, Duration.ofSeconds(1)).failNext(1, Fault.SERVER_ERROR);
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "8/s");
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", 1);
        fixture.settings().put("member-sync.vendors.hang.max-attempts", 1);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (trap != null) {
            trap.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void thePageOfARunShowsItsCountsRequestsAndFailuresInABrowserAndLoadsNothing() throws Exception {
        // given
        Path page = fixture.folder().resolve("page.html");

        // when
        ReportedRun run = fixture.report("run", "--report-html", page.toString());
        String dom = chromium.dumpDom(page, trap);
        chromium.screenshot(page, SCREENSHOT, 1100, 1400, trap);

        // then the run and the feed's counts, as the JSON report has them
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        long runId = run.report().path("runId").asLong();
        assertThat(dom).contains("<h1>member-sync run " + runId + "</h1>", "id=\"exit-code\">1</td>");
        assertThat(run.counts("members")).isEqualTo("read=23 unchanged=0 synced=19 rejected=2 refused=1 failed=1 pending=0 absent=0");
        for (String count : List.of("read", "unchanged", "synced", "rejected", "refused", "failed", "pending", "absent", "drift",
                "deactivated")) {
            assertThat(dom).as(count).contains("data-count=\"" + count + "\">" + run.count("members", count) + "</td>");
        }
        assertThat(dom).contains("<td>members</td><td>hang</td><td>hang</td><td class=\"bad\" data-outcome=\"FAILED\">failed</td>");

        // and the account's chart: a step per second the run recorded, a dot per second with 429s, a shade per pause
        var seconds = fixture.schema().jdbc().queryForList(
                "SELECT too_many, paused_ms FROM run_second WHERE run_id = ? AND account = 'hang' ORDER BY at_second", runId);
        long withTooMany = seconds.stream().filter(s -> ((Number) s.get("too_many")).intValue() > 0).count();
        long withPause = seconds.stream().filter(s -> ((Number) s.get("paused_ms")).longValue() > 0).count();
        assertThat(withTooMany).as("Hang answered 429").isPositive();
        assertThat(withPause).as("the account paused").isPositive();
        assertThat(dom).contains("data-account=\"hang\" data-seconds=\"" + seconds.size() + "\"");
        assertThat(attribute(dom, "<polyline class=\"requests\"[^>]*", "points").split(" ")).hasSize(2 * seconds.size());
        assertThat(attribute(dom, "<polyline class=\"limit\"[^>]*", "points").split(" ")).hasSize(2 * seconds.size());
        assertThat(count(dom, "<circle class=\"too-many\"")).isEqualTo(withTooMany);
        assertThat(count(dom, "<rect class=\"paused\"")).isEqualTo(withPause);

        // and the rows that did not sync, with no personal value left as it was
        assertThat(count(dom, "<tr class=\"rejected\">")).isEqualTo(2);
        assertThat(count(dom, "<tr class=\"refused\">")).isEqualTo(1);
        assertThat(count(dom, "<tr class=\"failed\">")).isEqualTo(1);
        assertThat(dom).contains("PROGRAM_MEMBERSHIP_NOT_FOUND", "(HTTP 404)", "(HTTP 503)", "j***@@example.com");
        assertThat(dom).doesNotContain(emails.toArray(String[]::new)).doesNotContain(phones.toArray(String[]::new));

        // and nothing was asked of any network, as the file names no address to ask
        assertThat(Files.readString(page)).doesNotContain("http://", "https://", "<script");
        assertThat(trap.requests()).filteredOn(request -> !Chromium.browsersOwn(request)).isEmpty();
        assertThat(SCREENSHOT).exists().isNotEmptyFile();
    }

    @Test
    void theTrapSeesWhatAPageLoadsAndThePagesPolicyStopsIt() throws Exception {
        // given the page of a run, once with an image from elsewhere slipped in, and once without its policy too
        Path page = fixture.folder().resolve("page.html");
        assertThat(fixture.run("run", "--report-html", page.toString()).exitCode()).isEqualTo(1);
        String html = Files.readString(page);
        String image = "<img src=\"http://page-request.invalid/pixel.png\">";
        Path withImage = fixture.file("with-image.html", html.replace("<h1>", image + "<h1>"));
        Path withoutPolicy = fixture.file("without-policy.html", html.replace("<h1>", image + "<h1>")
                .replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", ""));

        // when
        chromium.dumpDom(withImage, trap);
        List<String> despitePolicy = trap.requests().stream().filter(r -> r.contains("page-request.invalid")).toList();
        chromium.dumpDom(withoutPolicy, trap);

        // then the policy stopped the request, and without it the trap would have caught it
        assertThat(despitePolicy).isEmpty();
        assertThat(trap.requests()).anyMatch(r -> r.startsWith("GET http://page-request.invalid/pixel.png"));
    }

    @Test
    void statusWritesTheSamePageOfAnEarlierRun() throws Exception {
        // given a run that ended (a failed run's feed would be resumed, and so listed, by the next run), then another
        fixture.sandbox().hang().behaviour().reset();
        Path page = fixture.folder().resolve("page.html");
        long runId = fixture.report("run", "--report-html", page.toString()).report().path("runId").asLong();
        ReportedRun second = fixture.report("run", "--report-html", fixture.folder().resolve("second.html").toString());

        // when
        Path earlier = fixture.folder().resolve("status-" + runId + ".html");
        CliRun status = fixture.run("status", "--run", Long.toString(runId), "--html", earlier.toString());
        Path latest = fixture.folder().resolve("status-latest.html");
        CliRun statusLatest = fixture.run("status", "--html", latest.toString());
        CliRun oneRun = fixture.run("status", "--run", Long.toString(runId));
        CliRun unknown = fixture.run("status", "--run", "9999", "--html", fixture.folder().resolve("none.html").toString());

        // then
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("the page of run " + runId + " written to " + earlier);
        assertThat(Files.readString(earlier)).isEqualTo(Files.readString(page));
        assertThat(statusLatest.exitCode()).isZero();
        assertThat(Files.readString(latest)).isEqualTo(Files.readString(fixture.folder().resolve("second.html")))
                .contains("<h1>member-sync run " + second.report().path("runId").asLong() + "</h1>");
        assertThat(oneRun.out()).startsWith("run " + runId + " ").doesNotContain("run " + (runId + 1) + " ");
        assertThat(unknown.exitCode()).isEqualTo(64);
        assertThat(unknown.err()).contains("--run: there is no run 9999");
        assertThat(fixture.folder().resolve("none.html")).doesNotExist();
    }

    private static String attribute(String dom, String element, String name) {
        Matcher m = Pattern.compile(element + " " + name + "=\"([^\"]*)\"").matcher(dom);
        assertThat(m.find()).as("%s with %s in%n%s", element, name, dom).isTrue();
        return m.group(1);
    }

    private static long count(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
