package com.membersync.feed;

import com.membersync.config.ChangeLimit;
import com.membersync.config.ConfigurationProblem;
import com.membersync.config.FeedProperties;
import com.membersync.config.MemberSyncProperties;
import com.membersync.config.OnAbsent;
import com.membersync.config.SettingsCheck;
import com.membersync.config.VendorSettings;
import com.membersync.connector.VendorDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/** The configured feeds, checked against the known vendors; every problem names the setting to fix. */
@Component
public class FeedCatalog {

    private final MemberSyncProperties properties;
    private final Map<String, VendorDefinition> vendors = new LinkedHashMap<>();

    FeedCatalog(MemberSyncProperties properties, List<VendorDefinition> vendors, ConfigurableEnvironment environment) {
        this.properties = properties;
        vendors.forEach(v -> this.vendors.put(v.name(), v));
        // Before anything reads the settings: a misspelt one would otherwise go unnoticed
        new SettingsCheck(this.vendors.keySet()).check(environment);
    }

    public Collection<VendorDefinition> vendors() {
        return vendors.values();
    }

    /** The named feeds (all when none are named), resolved and checked. */
    public List<FeedSpec> select(Collection<String> names) {
        if (properties.feeds().isEmpty()) {
            throw new ConfigurationProblem("member-sync.feeds", "no feeds are configured; add one, e.g. member-sync.feeds.members.vendor=hang and member-sync.feeds.members.csv=members.csv");
        }
        for (String name : names) {
            if (!properties.feeds().containsKey(name)) {
                throw new UnknownFeed(name, properties.feeds().keySet());
            }
        }
        List<FeedSpec> feeds = new ArrayList<>();
        for (var entry : properties.feeds().entrySet()) {
            if (names.isEmpty() || names.contains(entry.getKey())) {
                feeds.add(resolve(entry.getKey(), entry.getValue()));
            }
        }
        return feeds;
    }

    private FeedSpec resolve(String name, FeedProperties feed) {
        String prefix = "member-sync.feeds." + name + ".";
        if (feed.vendor() == null || feed.vendor().isBlank()) {
            throw new ConfigurationProblem(prefix + "vendor", "feed " + name + " has no vendor; one of " + String.join(", ", vendors.keySet()));
        }
        VendorDefinition vendor = vendors.get(feed.vendor().strip().toLowerCase(Locale.ROOT));
        if (vendor == null) {
            throw new ConfigurationProblem(prefix + "vendor", "unknown vendor '" + feed.vendor() + "'; one of " + String.join(", ", vendors.keySet()));
        }
        boolean csv = feed.csv() != null;
        boolean query = feed.query() != null && !feed.query().isBlank();
        if (csv == query) {
            throw new ConfigurationProblem(prefix + "csv", "feed " + name + " needs exactly one input: csv (a file) or query (SQL)");
        }
        if (query && !properties.source().configured()) {
            throw new ConfigurationProblem("member-sync.source.url", "feed " + name + " reads a query, but no source database is configured; set member-sync.source.url (and username, password)");
        }
        List<String> columns = new ArrayList<>(List.of(vendor.keyField()));
        columns.addAll(vendor.fields());
        for (String field : feed.columns().keySet()) {
            if (!columns.contains(field)) {
                throw new ConfigurationProblem(prefix + "columns." + field, "unknown setting " + prefix + "columns."
                        + field + ": " + vendor.name() + " has no field " + field + SettingsCheck.didYouMean(field, columns));
            }
        }
        if (feed.onAbsent() == OnAbsent.DEACTIVATE && !vendor.deactivates()) {
            throw new ConfigurationProblem(prefix + "on-absent", vendor.name() + "'s API has no membership status, so"
                    + " feed " + name + " cannot deactivate members that leave its input; set on-absent: keep");
        }
        VendorSettings settings = VendorSettings.resolve(vendor.name(), properties.vendors().get(vendor.name()), vendor.defaults());
        vendor.checkSettings(settings);
        return new FeedSpec(name, feed, vendor, settings, limit(prefix + "max-changes", feed.maxChanges(), "50%"),
                limit(prefix + "max-rejected", feed.maxRejected(), "10%"));
    }

    static ChangeLimit limit(String setting, String value, String fallback) {
        try {
            return ChangeLimit.parse(value == null || value.isBlank() ? fallback : value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblem(setting, e.getMessage());
        }
    }

    /** {@code --feed NAME} names no configured feed: a usage error. */
    public static final class UnknownFeed extends RuntimeException {
        UnknownFeed(String name, Collection<String> known) {
            super("no feed named '" + name + "'; configured feeds: " + String.join(", ", known));
        }
    }
}
