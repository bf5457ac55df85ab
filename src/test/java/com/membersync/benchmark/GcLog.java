package com.membersync.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The peak heap of a member-sync process, read from the GC log it wrote ({@code -Xlog:gc:file=...}). */
final class GcLog {

    /** {@code 143M->20M(512M)}: the heap before a collection, the most it held. */
    private static final Pattern HEAP = Pattern.compile("(\\d+)M->\\d+M\\(\\d+M\\)");

    private GcLog() {}

    /** The JVM option that writes the log to {@code file}. */
    static String option(Path file) {
        return "-Xlog:gc:file=" + file;
    }

    /** The most heap in use before any collection the log records, in MB; 0 without a log or a collection. */
    static long peakHeapMb(Path file) throws IOException {
        long peak = 0;
        Matcher m = HEAP.matcher(Files.exists(file) ? Files.readString(file) : "");
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }
}
