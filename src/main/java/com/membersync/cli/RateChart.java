package com.membersync.cli;

import com.membersync.channel.Timeline.Second;
import com.membersync.state.RunTimelines.AccountTimeline;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One account's requests per second over a run, against the limit it was paced at, as inline SVG for the page of the
 * run: the requests and the limit as step lines, each 429 as a red dot along the top, and the time the account's
 * rate-limit group was paused shaded (darker for more of the second). Drawn here rather than by a charting library,
 * so the page stays one file that loads nothing.
 */
final class RateChart {

    static final int WIDTH = 760;
    static final int HEIGHT = 200;
    private static final int LEFT = 48;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 26;
    /** More seconds than this are drawn a few to a column, averaged: a night-long run stays a small file. */
    static final int MAX_COLUMNS = 900;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** What an account did over the whole run. */
    record Totals(long requests, long tooManyRequests, long pausedMillis, double lastLimit) {}

    /** One column of the chart: one second, or on a long run several, their requests averaged per second. */
    record Column(long epochSecond, int seconds, double requestsPerSecond, int tooManyRequests, long pausedMillis,
            double limit) {}

    private RateChart() {}

    static Totals totals(List<Second> seconds) {
        return new Totals(seconds.stream().mapToLong(Second::requests).sum(),
                seconds.stream().mapToLong(Second::tooManyRequests).sum(),
                seconds.stream().mapToLong(Second::pausedMillis).sum(),
                seconds.isEmpty() ? 0 : seconds.getLast().limitPerSecond());
    }

    /** The seconds in at most {@code max} columns of equal width (the last one may be narrower). */
    static List<Column> columns(List<Second> seconds, int max) {
        int width = Math.max(1, (seconds.size() + max - 1) / max);
        List<Column> columns = new ArrayList<>();
        for (int from = 0; from < seconds.size(); from += width) {
            List<Second> part = seconds.subList(from, Math.min(seconds.size(), from + width));
            Totals totals = totals(part);
            columns.add(new Column(part.getFirst().epochSecond(), part.size(), totals.requests() / (double) part.size(),
                    (int) totals.tooManyRequests(), totals.pausedMillis(),
                    part.stream().mapToDouble(Second::limitPerSecond).max().orElse(0)));
        }
        return columns;
    }

    static String svg(AccountTimeline account) {
        List<Second> seconds = account.seconds();
        List<Column> columns = columns(seconds, MAX_COLUMNS);
        double peak = columns.stream().mapToDouble(Column::requestsPerSecond).max().orElse(0);
        double limit = columns.stream().mapToDouble(Column::limit).max().orElse(0);
        // A limit far above what was sent would flatten the requests into the floor: it is then named, not drawn.
        boolean limitOnScale = limit <= 4 * Math.max(peak, 1);
        double top = nice(Math.max(1, 1.1 * (limitOnScale ? Math.max(peak, limit) : peak)));
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double step = plotWidth / Math.max(1, columns.size());

        StringBuilder svg = new StringBuilder(1024 + columns.size() * 40);
        svg.append("<svg class=\"rate-chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\" data-account=\"")
                .append(RunPage.esc(account.account())).append("\" data-seconds=\"").append(seconds.size())
                .append("\" data-columns=\"").append(columns.size()).append("\">\n<title>")
                .append(RunPage.esc(account.account())).append(": requests per second against the limit</title>\n");
        for (double tick : new double[] {0, top / 2, top}) {
            double y = TOP + plotHeight - tick / top * plotHeight;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(num(y))
                    .append("\" y2=\"").append(num(y)).append("\" stroke=\"#d8dee4\"/><text x=\"").append(LEFT - 6)
                    .append("\" y=\"").append(num(y + 4)).append("\" text-anchor=\"end\">").append(num(tick)).append("</text>\n");
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.pausedMillis() > 0) {
                double share = Math.min(1, c.pausedMillis() / (1000.0 * c.seconds()));
                svg.append("<rect class=\"paused\" x=\"").append(num(LEFT + i * step)).append("\" y=\"").append(TOP)
                        .append("\" width=\"").append(num(step)).append("\" height=\"").append(num(plotHeight))
                        .append("\" fill=\"#d4a72c\" fill-opacity=\"").append(num(0.15 + 0.45 * share)).append("\"><title>")
                        .append(CLOCK.format(Instant.ofEpochSecond(c.epochSecond()))).append(": paused ")
                        .append(c.pausedMillis()).append(" ms</title></rect>\n");
            }
        }
        svg.append("<polyline class=\"requests\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"")
                .append(steps(columns, step, c -> TOP + plotHeight - c.requestsPerSecond() / top * plotHeight))
                .append("\"/>\n");
        if (limit > 0 && limitOnScale) {
            svg.append("<polyline class=\"limit\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" points=\"")
                    .append(steps(columns, step, c -> TOP + plotHeight - c.limit() / top * plotHeight))
                    .append("\"/>\n");
        } else if (limit > 0) {
            svg.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(TOP - 3)
                    .append("\" text-anchor=\"end\" fill=\"#cf222e\">limit ").append(RunPage.esc(rate(limit)))
                    .append(", above the scale</text>\n");
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.tooManyRequests() > 0) {
                svg.append("<circle class=\"too-many\" cx=\"").append(num(LEFT + (i + 0.5) * step)).append("\" cy=\"")
                        .append(TOP + 5).append("\" r=\"4\" fill=\"#cf222e\"><title>")
                        .append(CLOCK.format(Instant.ofEpochSecond(c.epochSecond()))).append(": ").append(c.tooManyRequests())
                        .append(" × 429</title></circle>\n");
            }
        }
        if (!seconds.isEmpty()) {
            long first = seconds.getFirst().epochSecond();
            long end = seconds.getLast().epochSecond() + 1;
            double y = HEIGHT - 8;
            svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(num(y)).append("\">")
                    .append(CLOCK.format(Instant.ofEpochSecond(first))).append(" UTC</text><text x=\"")
                    .append(num(LEFT + plotWidth / 2)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"middle\">")
                    .append(end - first).append(" s").append(columns.size() < seconds.size()
                            ? ", " + columns.getFirst().seconds() + " s per column" : "")
                    .append("</text><text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(num(y))
                    .append("\" text-anchor=\"end\">").append(CLOCK.format(Instant.ofEpochSecond(end))).append("</text>\n");
        }
        return svg.append("</svg>").toString();
    }

    /** Points of a step line: each column level from its left edge to its right. */
    private static String steps(List<Column> columns, double step, ToDoubleFunction<Column> y) {
        StringBuilder points = new StringBuilder(columns.size() * 24);
        for (int i = 0; i < columns.size(); i++) {
            String level = num(y.applyAsDouble(columns.get(i)));
            points.append(i == 0 ? "" : " ").append(num(LEFT + i * step)).append(',').append(level)
                    .append(' ').append(num(LEFT + (i + 1) * step)).append(',').append(level);
        }
        return points.toString();
    }

    /** The smallest of 1, 2 or 5 times a power of ten that is at least {@code value}: a round top for the axis. */
    static double nice(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= value - 1e-9) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** A rate as the settings write it: {@code 10/s}, {@code 20/min}. */
    static String rate(double perSecond) {
        if (perSecond <= 0) {
            return "none recorded";
        }
        return perSecond < 1 ? num(perSecond * 60) + "/min" : num(perSecond) + "/s";
    }

    /** A number with at most one decimal, none when it is whole. */
    private static String num(double value) {
        double rounded = Math.round(value * 10) / 10.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }
}
