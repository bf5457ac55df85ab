package com.membersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.channel.Timeline.Second;
import com.membersync.state.ChangeStatus;
import com.membersync.state.FailureKind;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository.SyncRun;
import com.membersync.state.FeedRunRepository.Tally;
import com.membersync.state.FeedRunStatus;
import com.membersync.state.RowFailure;
import com.membersync.state.RunTimelines.AccountTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page of a run as built from what the state store holds, without a browser (see RunPageIntegrationTests). */
class RunPageTests {

    private static final Instant START = Instant.parse("2026-11-22T02:30:00Z");
    private static final Map<String, Set<String>> PERSONAL = Map.of("hang", Set.of("email", "phone", "first_name"),
            "mayar", Set.of());

    @Test
    void everyValueIsEscapedAndNothingPointsOutside() {
        // given names and texts that are markup
        Tally feed = tally(feedRun("<script>alert(1)</script>", FeedRunStatus.FAILED, "vendor said \"<b>no</b>\" & 'left'"), 0);
        RowFailure failure = new RowFailure(7, "<script>alert(1)</script>", FailureKind.REFUSED, 3, "k<1>", "productId",
                "<img src=x onerror=alert(2)>", 400, Map.of(), START);

        // when
        String html = RunPage.html(content(List.of(feed), List.of(), List.of(failure)));

        // then
        assertThat(html).doesNotContain("<script>", "<b>no</b>", "<img src=x").contains("&lt;script&gt;alert(1)&lt;/script&gt;",
                "&quot;&lt;b&gt;no&lt;/b&gt;&quot; &amp; &#39;left&#39;", "k&lt;1&gt;", "&lt;img src=x onerror=alert(2)&gt; (HTTP 400)");
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;")
                .doesNotContain("http://", "https://", "<script", "<link", "src=\"");
    }

    @Test
    void personalDataIsMaskedInReasonsAsOnTheTerminal() {
        // given a rejected email the masking patterns alone would not know, and a vendor echoing a phone and an email
        RowFailure rejected = new RowFailure(7, "members", FailureKind.REJECTED, 2, "m1", "email",
                "'joe.smith@@example' is not an email address", null,
                Map.of("program_membership_id", "m1", "email", "joe.smith@@example"), START);
        RowFailure refused = new RowFailure(7, "members", FailureKind.REFUSED, 3, "m2", "phone",
                "phone 5552017788 is already taken by ana.lopez@example.com, born 1989-04-02", 422,
                Map.of("phone", "5552017788", "email", "ana.lopez@example.com", "first_name", "Anastasia"), START);
        RowFailure mayar = new RowFailure(7, "plans", FailureKind.REFUSED, 4, "MBR1", "productId",
                "'foreign-1' is not yours", 400, Map.of("productId", "foreign-1"), START);

        // when
        String html = RunPage.html(content(List.of(tally(feedRun("members", FeedRunStatus.COMPLETED, null), 3)),
                List.of(), List.of(rejected, refused, mayar)));

        // then
        assertThat(html).doesNotContain("joe.smith", "ana.lopez", "5552017788", "1989-04-02")
                .contains("&#39;j***@@example&#39; is not an email address", "phone ***7788 is already taken by a***@example.com,"
                        + " born 1989-**-** (HTTP 422)", "&#39;foreign-1&#39; is not yours");
        assertThat(RunPage.reason(refused, Set.of())).as("masked as on the terminal without the vendor's fields too")
                .doesNotContain("ana.lopez", "5552017788");
    }

    @Test
    void aRunWithNothingInItSaysSo() {
        // given a shard with no feeds: nothing was recorded
        RunPage.Content nothing = RunPage.Content.nothingRan(START, START.plusMillis(800), "4/5");

        // when
        String html = RunPage.html(nothing);

        // then
        assertThat(html).contains("member-sync: nothing ran", "<th>shard</th><td colspan=\"2\">4/5</td>",
                "No feeds ran in this shard.", "No requests were sent.", "None.", "0.8 s").doesNotContain("<svg");
    }

    @Test
    void aFeedsCountsOutcomeAndDurationAreShown() {
        // given a feed that completed with refusals, resumed from a run that started before this one
        FeedRun run = new FeedRun(11, 7, FeedRunKind.SYNC, "members", "hang", "hang-brand-b", FeedRunStatus.COMPLETED,
                START.minusSeconds(3600), START.plusMillis(4100), 12, 5, 7, 1, 2, null);

        // when
        Tally tally = new Tally(run, Map.of(ChangeStatus.SYNCED, 4L, ChangeStatus.REFUSED, 2L, ChangeStatus.PENDING, 1L),
                Map.of(), 3);
        String html = RunPage.html(content(List.of(tally), List.of(), List.of()));

        // then
        assertThat(html).contains("<td>members</td><td>hang-brand-b</td><td>hang</td><td class=\"bad\" data-outcome=\"COMPLETED_WITH_REJECTIONS\">completed with rejections</td>")
                .contains(List.of("read\">12", "unchanged\">5", "synced\">4", "rejected\">1", "refused\">2", "failed\">0",
                        "pending\">1", "absent\">2", "drift\">3", "deactivated\">0").stream().map(c -> "data-count=\"" + c).toList())
                .as("counted from this run's start").contains("<td class=\"n\">4.1 s</td>");
    }

    @Test
    void theOutcomeIsWorkedOutAsWhenTheFeedEnded() {
        FeedRun completed = feedRun("members", FeedRunStatus.COMPLETED, null);

        assertThat(RunPage.outcome(tally(completed, 3))).isEqualTo("COMPLETED");
        assertThat(RunPage.outcome(new Tally(completed, Map.of(ChangeStatus.FAILED, 1L), Map.of(), 0)))
                .as("a row failed after every retry: the job completed, the feed did not").isEqualTo("FAILED");
        assertThat(RunPage.outcome(new Tally(completed, Map.of(), Map.of(ChangeStatus.REFUSED, 1L), 0)))
                .as("a deactivation refused").isEqualTo("COMPLETED_WITH_REJECTIONS");
        assertThat(RunPage.outcome(tally(feedRun("members", FeedRunStatus.STOPPED, null), 0))).isEqualTo("FAILED");
        assertThat(RunPage.outcome(tally(feedRun("members", FeedRunStatus.RUNNING, null), 0))).isEqualTo("RUNNING");
    }

    @Test
    void aTimelineWithAPauseAnd429sIsDrawnSecondBySecond() {
        // given five seconds at 10/s: a 429 in the third, paused most of it and all of the fourth
        long t = START.getEpochSecond();
        AccountTimeline hang = new AccountTimeline("hang", "hang", "hang", List.of(new Second(t, 10, 0, 0, 10),
                new Second(t + 1, 10, 0, 0, 10), new Second(t + 2, 3, 2, 800, 10), new Second(t + 3, 0, 0, 1000, 10),
                new Second(t + 4, 8, 0, 0, 10)));

        // when
        String html = RunPage.html(content(List.of(), List.of(hang), List.of()));

        // then
        assertThat(html).contains("data-seconds=\"5\" data-columns=\"5\"", "31 requests, 2 × 429, 1.8 s paused, limit 10/s");
        List<String> requests = points(html, "requests");
        assertThat(requests).hasSize(10).containsSubsequence("48,94", "188,94", "328,150", "468,174", "608,110", "748,110");
        assertThat(points(html, "limit")).hasSize(10).allSatisfy(point -> assertThat(point)
                .as("10/s halfway up an axis of 20: 14 + 160 * (1 - 10/20)").endsWith(",94"));
        assertThat(count(html, "class=\"too-many\"")).isEqualTo(1);
        assertThat(count(html, "class=\"paused\"")).isEqualTo(2);
        assertThat(html).contains("02:30:02: 2 × 429", "02:30:03: paused 1000 ms");
    }

    @Test
    void aLimitFarAboveTheRequestsIsMarkedRatherThanScaled() {
        long t = START.getEpochSecond();
        AccountTimeline fast = new AccountTimeline("hang", "hang", "hang", List.of(new Second(t, 3, 0, 0, 100_000)));

        String svg = RateChart.svg(fast);

        assertThat(svg).contains("limit 100000/s, above the scale").doesNotContain("class=\"limit\"");
        assertThat(RateChart.rate(20 / 60.0)).isEqualTo("20/min");
    }

    @Test
    void aLongRunIsDrawnInAtMostMaxColumnsKeepingItsTotals() {
        // given an hour of seconds, a 429 every minute
        List<Second> seconds = new ArrayList<>();
        for (int i = 0; i < 3600; i++) {
            seconds.add(new Second(START.getEpochSecond() + i, 5, i % 60 == 0 ? 1 : 0, i % 60 == 0 ? 500 : 0, 10));
        }

        // when
        List<RateChart.Column> columns = RateChart.columns(seconds, RateChart.MAX_COLUMNS);

        // then
        assertThat(columns).hasSize(900).allSatisfy(c -> assertThat(c.seconds()).isEqualTo(4))
                .allSatisfy(c -> assertThat(c.requestsPerSecond()).isEqualTo(5.0));
        assertThat(columns.stream().mapToInt(RateChart.Column::tooManyRequests).sum()).isEqualTo(60);
        assertThat(RateChart.svg(new AccountTimeline("hang", "hang", "hang", seconds))).contains("3600 s, 4 s per column");
    }

    private static RunPage.Content content(List<Tally> feeds, List<AccountTimeline> accounts, List<RowFailure> failures) {
        return new RunPage.Content(new SyncRun(7, START, START.plusSeconds(5), 2, null), feeds, accounts, failures,
                failures.size(), PERSONAL);
    }

    private static FeedRun feedRun(String feed, FeedRunStatus status, String message) {
        return new FeedRun(11, 7, FeedRunKind.SYNC, feed, "hang", "hang", status, START, START.plusSeconds(4), 3, 0, 3,
                0, 0, message);
    }

    private static Tally tally(FeedRun run, long synced) {
        return new Tally(run, Map.of(ChangeStatus.SYNCED, synced), Map.of(), 0);
    }

    /** The points of the chart's polyline of this class. */
    private static List<String> points(String html, String polyline) {
        Matcher m = Pattern.compile("<polyline class=\"" + polyline + "\"[^>]* points=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("a %s line in%n%s", polyline, html).isTrue();
        return List.of(m.group(1).split(" "));
    }

    private static long count(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
