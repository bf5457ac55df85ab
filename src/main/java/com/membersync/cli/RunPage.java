package com.membersync.cli;

import com.membersync.connector.VendorDefinition;
import com.membersync.feed.FeedReport.Outcome;
import com.membersync.observability.PersonalData;
import com.membersync.state.ChangeStatus;
import com.membersync.state.FailureRepository;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunKind;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.FeedRunRepository.SyncRun;
import com.membersync.state.FeedRunRepository.Tally;
import com.membersync.state.RowFailure;
import com.membersync.state.RunTimelines;
import com.membersync.state.RunTimelines.AccountTimeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationContext;

/**
 * The page of one run ({@code run --report-html}, {@code status --run ID --html}): one HTML file that needs nothing
 * else to open, its style and charts inline, and a Content-Security-Policy that keeps it from loading anything. Both
 * commands build it from the state store alone, so a run's page is the same whenever it is written.
 */
final class RunPage {

    /** Failures listed on the page; {@code failures --run ID} lists them all. */
    static final int FAILURES_SHOWN = 500;

    /** Nothing may be fetched: no script, no font, no image but inline ones, no request of any kind. */
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** A value quoted in a reason, as member-sync's own reasons quote the cell they reject. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1100px}
            h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:14px;margin:18px 0 4px}
            table{border-collapse:collapse;margin:4px 0;font-size:13px}th,td{padding:3px 6px;border-bottom:1px solid #d8dee4;text-align:left}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f6f8fa}
            #feeds td{white-space:nowrap}.bad{color:#b42318;font-weight:600}.ok{color:#1a7f37;font-weight:600}.note{color:#57606a}
            .legend span{margin-right:14px}.sw{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:4px}
            svg text{font:11px system-ui,sans-serif;fill:#57606a}
            """;

    /** Everything the page shows: the run, its feed runs, each account's seconds, and the rows that did not sync. */
    record Content(SyncRun run, List<Tally> feeds, List<AccountTimeline> accounts, List<RowFailure> failures,
            long failureCount, Map<String, Set<String>> personalFieldsByVendor) {

        /** The page of a run that had nothing to do (a shard with no feeds): it was never recorded. */
        static Content nothingRan(Instant startedAt, Instant finishedAt, String shard) {
            return new Content(new SyncRun(0, startedAt, finishedAt, ExitCodes.OK, shard), List.of(), List.of(),
                    List.of(), 0, Map.of());
        }
    }

    private RunPage() {}

    /** The run's page content as the state store holds it; empty when there is no such run. */
    static Optional<Content> load(ApplicationContext context, long runId) {
        FeedRunRepository runs = context.getBean(FeedRunRepository.class);
        FailureRepository failures = context.getBean(FailureRepository.class);
        Map<String, Set<String>> personal = context.getBeansOfType(VendorDefinition.class).values().stream()
                .collect(Collectors.toMap(VendorDefinition::name, VendorDefinition::personalFields));
        return runs.run(runId).map(run -> new Content(run, runs.talliesOf(runId),
                List.copyOf(context.getBean(RunTimelines.class).of(runId).values()),
                failures.firstOfRun(runId, FAILURES_SHOWN), failures.countOfRun(runId), personal));
    }

    static void write(Path file, Content content) throws IOException {
        RunReport.writeText(file, html(content));
    }

    static String html(Content content) {
        SyncRun run = content.run();
        String title = run.runId() == 0 ? "member-sync: nothing ran" : "member-sync run " + run.runId();
        StringBuilder page = new StringBuilder(8192);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(esc(POLICY)).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>").append(STYLE).append("</style></head>\n")
                .append("<body>\n<h1>").append(esc(title)).append("</h1>\n");
        header(page, run);
        feeds(page, content);
        accounts(page, content.accounts());
        failures(page, content);
        return page.append("</body></html>\n").toString();
    }

    private static void header(StringBuilder page, SyncRun run) {
        page.append("<table id=\"run\">\n");
        row(page, "started", time(run.startedAt()));
        row(page, "finished", run.finishedAt() == null ? "not finished (running, or killed)" : time(run.finishedAt()));
        if (run.finishedAt() != null && run.startedAt() != null) {
            row(page, "duration", seconds(Duration.between(run.startedAt(), run.finishedAt())));
        }
        page.append("<tr><th>exit code</th><td class=\"").append(run.exitCode() == null || run.exitCode() != 0 ? "bad" : "ok")
                .append("\" id=\"exit-code\">").append(run.exitCode() == null ? "none" : run.exitCode()).append("</td><td class=\"note\">")
                .append(esc(exitMeaning(run.exitCode()))).append("</td></tr>\n");
        if (run.shard() != null) {
            row(page, "shard", run.shard());
        }
        page.append("</table>\n");
    }

    private static void row(StringBuilder page, String name, String value) {
        page.append("<tr><th>").append(esc(name)).append("</th><td colspan=\"2\">").append(esc(value)).append("</td></tr>\n");
    }

    private static String exitMeaning(Integer exitCode) {
        if (exitCode == null) {
            return "the run has not finished";
        }
        return switch (exitCode) {
            case ExitCodes.OK -> "every row is unchanged or synced";
            case ExitCodes.FAILED -> "failed or stopped before it finished; the next run resumes it";
            case ExitCodes.REJECTED -> "rows were rejected or refused: the table below lists them";
            case ExitCodes.GUARDED -> "the mass-change guard stopped the run before anything was sent";
            case ExitCodes.DRIFT -> "verify found drift and did not repair it";
            default -> "see the README's exit codes";
        };
    }

    private static final List<String> COUNTS = List.of("read", "unchanged", "synced", "rejected", "refused", "failed",
            "pending", "absent", "drift", "deactivated");

    private static void feeds(StringBuilder page, Content content) {
        page.append("<h2>Feeds</h2>\n");
        if (content.feeds().isEmpty()) {
            page.append("<p class=\"note\">No feeds ran").append(content.run().shard() == null ? "" : " in this shard")
                    .append(".</p>\n");
            return;
        }
        page.append("<table id=\"feeds\"><tr><th>feed</th><th>account</th><th>vendor</th><th>outcome</th>");
        COUNTS.forEach(name -> page.append("<th class=\"n\">").append(name).append("</th>"));
        page.append("<th class=\"n\">duration</th></tr>\n");
        for (Tally tally : content.feeds()) {
            FeedRun run = tally.run();
            String outcome = outcome(tally);
            long[] counts = {run.read(), run.unchanged(), tally.synced(), run.rejected(), tally.refused(), tally.failed(),
                    tally.pending(), run.absent(), tally.drift(), tally.deactivated()};
            page.append("<tr data-feed=\"").append(esc(run.feed())).append("\"><td>").append(esc(run.feed()))
                    .append("</td><td>").append(esc(account(run))).append("</td><td>").append(esc(run.vendor()))
                    .append("</td><td class=\"").append(outcome.equals(Outcome.COMPLETED.name()) ? "ok" : "bad")
                    .append("\" data-outcome=\"").append(outcome).append("\">")
                    .append(run.kind() == FeedRunKind.REPAIR ? "repair: " : "")
                    .append(outcome.toLowerCase(Locale.ROOT).replace('_', ' ')).append("</td>");
            for (int i = 0; i < counts.length; i++) {
                page.append("<td class=\"n\" data-count=\"").append(COUNTS.get(i)).append("\">").append(counts[i]).append("</td>");
            }
            page.append("<td class=\"n\">").append(esc(duration(run, content.run()))).append("</td></tr>\n");
        }
        page.append("</table>\n");
        for (Tally tally : content.feeds()) {
            if (tally.run().message() != null) {
                page.append("<p class=\"note\">").append(esc(tally.run().feed())).append(": ")
                        .append(esc(PersonalData.mask(tally.run().message()))).append("</p>\n");
            }
        }
    }

    /**
     * The feed's outcome as the run's summary and JSON report name it, worked out from what the store holds as
     * {@code FeedOutcomes} works it out when the feed ends: rows that failed fail a feed whose job completed.
     */
    static String outcome(Tally tally) {
        FeedRun run = tally.run();
        long failed = tally.failed() + tally.deactivations().getOrDefault(ChangeStatus.FAILED, 0L);
        long refused = tally.refused() + tally.deactivations().getOrDefault(ChangeStatus.REFUSED, 0L);
        return switch (run.status()) {
            case COMPLETED -> (failed > 0 ? Outcome.FAILED
                    : run.rejected() + refused > 0 ? Outcome.COMPLETED_WITH_REJECTIONS : Outcome.COMPLETED).name();
            case DRY_RUN -> (run.rejected() > 0 ? Outcome.COMPLETED_WITH_REJECTIONS : Outcome.DRY_RUN).name();
            case GUARDED -> Outcome.GUARDED.name();
            case RUNNING -> "RUNNING";
            case FAILED, STOPPED, UNKNOWN, ABANDONED -> Outcome.FAILED.name();
        };
    }

    /** The feed's time in this run: a feed run resumed from an earlier run counts from this run's start. */
    private static String duration(FeedRun feed, SyncRun run) {
        if (feed.finishedAt() == null || feed.startedAt() == null) {
            return "-";
        }
        Instant from = run.startedAt() != null && run.startedAt().isAfter(feed.startedAt()) ? run.startedAt()
                : feed.startedAt();
        return seconds(Duration.between(from, feed.finishedAt()));
    }

    private static void accounts(StringBuilder page, List<AccountTimeline> accounts) {
        page.append("<h2>Requests per second, by account</h2>\n");
        if (accounts.isEmpty()) {
            page.append("<p class=\"note\">No requests were sent.</p>\n");
            return;
        }
        page.append("<p class=\"legend note\"><span><i class=\"sw\" style=\"background:#0969da\"></i>requests/s</span>")
                .append("<span><i class=\"sw\" style=\"background:#cf222e\"></i>limit (configured or announced)</span>")
                .append("<span><i class=\"sw\" style=\"background:#cf222e;width:8px;height:8px;border-radius:4px\"></i>429 answers</span>")
                .append("<span><i class=\"sw\" style=\"background:#d4a72c;height:10px;opacity:.5\"></i>paused</span></p>\n");
        for (AccountTimeline account : accounts) {
            RateChart.Totals totals = RateChart.totals(account.seconds());
            page.append("<h3>").append(esc(account.account())).append(" <span class=\"note\">(").append(esc(account.vendor()))
                    .append(", rate-limit group ").append(esc(account.group())).append("): ").append(totals.requests())
                    .append(" requests, ").append(totals.tooManyRequests()).append(" × 429, ")
                    .append(seconds(Duration.ofMillis(totals.pausedMillis()))).append(" paused, limit ")
                    .append(esc(RateChart.rate(totals.lastLimit()))).append("</span></h3>\n")
                    .append(RateChart.svg(account)).append('\n');
        }
    }

    private static void failures(StringBuilder page, Content content) {
        page.append("<h2>Rows that did not sync</h2>\n");
        if (content.failures().isEmpty()) {
            page.append("<p class=\"note\">None.</p>\n");
            return;
        }
        Map<String, String> vendorOfFeed = content.feeds().stream().map(Tally::run)
                .collect(Collectors.toMap(FeedRun::feed, FeedRun::vendor, (a, b) -> a));
        page.append("<p class=\"note\">Personal data masked; <code>member-sync failures --run ").append(content.run().runId())
                .append("</code> shows the rows as they are.</p>\n")
                .append("<table id=\"failures\"><tr><th>feed</th><th class=\"n\">line</th><th>key</th><th>kind</th>")
                .append("<th>field</th><th>reason</th></tr>\n");
        for (RowFailure f : content.failures()) {
            String vendor = vendorOfFeed.get(f.feed());
            Set<String> personal = vendor == null ? Set.of() : content.personalFieldsByVendor().getOrDefault(vendor, Set.of());
            page.append("<tr class=\"").append(f.kind().name().toLowerCase(Locale.ROOT)).append("\"><td>").append(esc(f.feed()))
                    .append("</td><td class=\"n\">").append(f.line()).append("</td><td>").append(esc(f.key() == null ? "(blank)" : f.key()))
                    .append("</td><td>").append(f.kind().name().toLowerCase(Locale.ROOT)).append("</td><td>")
                    .append(esc(f.field() == null ? "" : f.field())).append("</td><td>").append(esc(reason(f, personal)))
                    .append("</td></tr>\n");
        }
        page.append("</table>\n");
        if (content.failureCount() > content.failures().size()) {
            page.append("<p class=\"note\">… and ").append(content.failureCount() - content.failures().size())
                    .append(" more: <code>member-sync failures --run ").append(content.run().runId())
                    .append(" --output FILE</code> lists them all.</p>\n");
        }
    }

    /**
     * The reason as the page shows it: the row's personal values masked wherever they appear, the quoted value of a
     * personal field masked, then anything that still looks like an email, phone or date.
     */
    static String reason(RowFailure failure, Set<String> personal) {
        String reason = failure.reason();
        if (failure.row() != null) {
            for (Map.Entry<String, String> cell : failure.row().entrySet()) {
                if (personal.contains(cell.getKey()) && cell.getValue() != null && cell.getValue().length() > 1) {
                    reason = reason.replace(cell.getValue(), PersonalData.maskValue(cell.getValue()));
                }
            }
        }
        if (failure.field() != null && personal.contains(failure.field())) {
            reason = QUOTED.matcher(reason).replaceAll(quoted -> Matcher.quoteReplacement(
                    "'" + PersonalData.maskValue(quoted.group(1)) + "'"));
        }
        String masked = PersonalData.mask(reason);
        return failure.httpStatus() == null ? masked : masked + " (HTTP " + failure.httpStatus() + ")";
    }

    private static String account(FeedRun run) {
        return run.account() == null ? run.vendor() : run.account(); // runs from before accounts existed
    }

    private static String time(Instant at) {
        return at == null ? "-" : TIME.format(at);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** Text made safe for an HTML element or a quoted attribute. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
