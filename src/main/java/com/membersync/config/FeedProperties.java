package com.membersync.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/** {@code member-sync.feeds.<name>.*}: one input (a CSV file or a query) synced into one vendor. */
public record FeedProperties(
        String vendor,
        Path csv,
        String query,
        Map<String, String> columns,
        String maxChanges,
        String maxRejected,
        ZoneId zone,
        OnAbsent onAbsent) {

    public FeedProperties {
        columns = columns == null ? Map.of() : Map.copyOf(columns);
        zone = zone == null ? ZoneId.of("UTC") : zone;
        onAbsent = onAbsent == null ? OnAbsent.KEEP : onAbsent;
    }
}
