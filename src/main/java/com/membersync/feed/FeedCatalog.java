package com.membersync.feed;

import com.membersync.config.ChangeLimit;
import com.membersync.config.ConfigurationProblem;
import com.membersync.config.FeedProperties;
import com.membersync.config.MemberSyncProperties;
import com.membersync.config.OnAbsent;
import com.membersync.config.SettingsCheck;
import com.membersync.config.VendorProperties;
import com.membersync.config.AccountSettings;
import com.membersync.connector.VendorDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/** The configured feeds, checked against the known vendors; every problem names the setting to fix. */
@Component
public class FeedCatalog {

    private final MemberSyncProperties properties;
    private final Map<String, VendorDefinition> vendors = new LinkedHashMap<>();
    private final ConfigurableEnvironment environment;
    private Accounts accounts;

    FeedCatalog(MemberSyncProperties properties, List<VendorDefinition> vendors, ConfigurableEnvironment environment) {
        this.properties = properties;
        this.environment = environment;
        vendors.forEach(v -> this.vendors.put(v.name(), v));
        // Before anything reads the settings: a misspelt one would otherwise go unnoticed
        new SettingsCheck().check(environment);
    }

    /**
     * Every account, resolved once: those configured, and the vendors' own names that feeds use. Rate-limit groups
     * are worked out from all of them, not only from those of the feeds a command selects, so that every process of
     * one configuration shares a group's budget alike.
     */
    public synchronized Accounts accounts() {
        if (accounts == null) {
            // Spring Boot makes no map entry of environment variables alone: an account named like its vendor and
            // configured only by MEMBER_SYNC_VENDORS_HANG_API_KEY is bound by its name.
            Binder binder = Binder.get(environment);
            accounts = new Accounts(properties, vendors, properties.feeds().values().stream()
                    .map(FeedProperties::vendor).filter(v -> v != null && !v.isBlank()).map(String::strip).toList(),
                    name -> binder.bind("member-sync.vendors." + name, VendorProperties.class).orElse(null));
        }
        return accounts;
    }

    public Collection<VendorDefinition> vendors() {
        return vendors.values();
    }

    /** The names of every configured feed; a configuration problem when there are none. */
    public Set<String> names() {
        if (properties.feeds().isEmpty()) {
            throw new ConfigurationProblem("member-sync.feeds", "no feeds are configured; add one, e.g. member-sync.feeds.members.vendor=hang and member-sync.feeds.members.csv=members.csv");
        }
        return properties.feeds().keySet();
    }

    /** The named feeds (all when none are named), resolved and checked. */
    public List<FeedSpec> select(Collection<String> names) {
        names();
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
            throw new ConfigurationProblem(prefix + "vendor", "feed " + name + " has no vendor: the account it writes"
                    + " to, an entry under member-sync.vendors or one of " + String.join(", ", vendors.keySet()));
        }
        Accounts.Account account = accounts().get(feed.vendor().strip(), prefix + "vendor");
        VendorDefinition vendor = account.vendor();
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
        AccountSettings settings = account.settings();
        vendor.checkSettings(settings);
        return new FeedSpec(name, feed, vendor, settings, accounts().group(settings),
                limit(prefix + "max-changes", feed.maxChanges(), "50%"), limit(prefix + "max-rejected", feed.maxRejected(), "10%"));
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
