package com.membersync.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Everything under {@code member-sync.*}. */
@Validated
@ConfigurationProperties("member-sync")
public record MemberSyncProperties(
        Map<String, VendorProperties> vendors,
        Map<String, FeedProperties> feeds,
        SourceProperties source,
        @DefaultValue("10000") @Min(1) int chunkSize,
        @DefaultValue("20s") Duration shutdownGrace) {

    public MemberSyncProperties {
        vendors = vendors == null ? Map.of() : new LinkedHashMap<>(vendors);
        feeds = feeds == null ? Map.of() : new LinkedHashMap<>(feeds);
        source = source == null ? new SourceProperties(null, null, null, null) : source;
    }
}
