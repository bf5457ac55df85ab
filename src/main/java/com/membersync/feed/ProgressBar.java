package com.membersync.feed;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A live progress line on a terminal, redrawn in place on stderr a few times a second; nothing at all when the
 * output goes to a file, a pipe or a log collector (cron, Kubernetes), where the periodic log lines serve.
 */
public final class ProgressBar {

    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private long lastDraw;
    private boolean shown;

    /** @param out where to draw, or null for no bar */
    ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on stderr when this JVM runs in a terminal, otherwise none. */
    public static ProgressBar forConsole() {
        Console console = System.console();
        return new ProgressBar(console != null && isTerminal(console) ? System.err : null);
    }

    /** Before JDK 22 a console exists only on a terminal; since, {@code isTerminal()} says. */
    private static boolean isTerminal(Console console) {
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException olderJdk) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Rows checked while planning: their number and rate (the total is not known before the end). */
    void planning(String feed, long rows, double rate) {
        draw(String.format(Locale.ROOT, "%s: %,d rows checked (%,.0f rows/s)", feed, rows, rate), false);
    }

    /** Changes sent while delivering (or members checked while verifying), out of {@code total}. */
    void delivering(String feed, long done, long total, double rate, String verb) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        long left = rate > 0 ? Math.round(Math.max(0, total - done) / rate) : -1;
        draw(String.format(Locale.ROOT, "%s [%s%s] %,d/%,d %s, %.1f/s, %s left", feed, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, verb, rate, left < 0 ? "?" : left + " s"), done >= total);
    }

    /** Removes the bar, so what is printed next starts on a clean line. */
    public synchronized void clear() {
        if (out != null && shown) {
            out.print("\r\033[K");
            out.flush();
            shown = false;
        }
    }

    private synchronized void draw(String line, boolean force) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && shown && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        shown = true;
        out.print("\r\033[K" + line);
        out.flush();
    }
}
