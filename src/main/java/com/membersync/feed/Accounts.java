package com.membersync.feed;

import com.membersync.config.AccountSettings;
import com.membersync.config.ConfigurationProblem;
import com.membersync.config.MemberSyncProperties;
import com.membersync.config.RateGroup;
import com.membersync.config.RatePolicy;
import com.membersync.config.SettingsCheck;
import com.membersync.config.VendorProperties;
import com.membersync.connector.VendorDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The vendor accounts: every entry under {@code member-sync.vendors}, and a vendor's own name ({@code hang},
 * {@code decoda}, {@code mayar}) as an account with the vendor's defaults where nothing is configured for it, so that
 * configurations written before accounts existed work unchanged. Also the rate-limit groups they form.
 */
public final class Accounts {

    /** An account resolved: its settings and the vendor it is an account at. */
    public record Account(AccountSettings settings, VendorDefinition vendor) {
        public String name() {
            return settings.account();
        }
    }

    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, RateGroup> groups = new LinkedHashMap<>();
    private final Collection<String> vendorNames;

    /**
     * @param used         accounts that feeds name, which exist with their vendor's defaults when named like a vendor
     *                     and not configured
     * @param unconfigured the settings of such an account that a source the map of accounts does not see holds (an
     *                     environment variable such as {@code MEMBER_SYNC_VENDORS_HANG_API_KEY} alone), or null
     */
    Accounts(MemberSyncProperties properties, Map<String, VendorDefinition> vendors, Collection<String> used,
            Function<String, VendorProperties> unconfigured) {
        this.vendorNames = vendors.keySet();
        properties.vendors().forEach((name, given) -> accounts.put(name, resolve(name, given, vendors)));
        for (String written : used) {
            String name = vendorName(written);
            if (!accounts.containsKey(name) && vendors.containsKey(name)) {
                accounts.put(name, resolve(name, unconfigured.apply(name), vendors));
            }
        }
        Map<String, List<Account>> byGroup = new LinkedHashMap<>();
        accounts.values().forEach(a -> byGroup.computeIfAbsent(a.settings().rateLimitGroup(), g -> new ArrayList<>()).add(a));
        byGroup.forEach((name, members) -> groups.put(name, group(name, members)));
    }

    private static Account resolve(String name, VendorProperties given, Map<String, VendorDefinition> vendors) {
        String type = given == null || given.type() == null || given.type().isBlank() ? null
                : given.type().strip().toLowerCase(Locale.ROOT);
        String setting = AccountSettings.setting(name, "type");
        if (type == null && !vendors.containsKey(name)) {
            throw new ConfigurationProblem(setting, "account " + name + " needs a type, the vendor it is an account"
                    + " at: set " + setting + " to one of " + String.join(", ", vendors.keySet())
                    + SettingsCheck.closest(name, vendors.keySet()).map(v -> "; or did you mean " + v + "?").orElse(""));
        }
        VendorDefinition vendor = vendors.get(type == null ? name : type);
        if (vendor == null) {
            throw new ConfigurationProblem(setting, "unknown vendor type '" + given.type() + "' for account " + name
                    + SettingsCheck.didYouMean(type, vendors.keySet()));
        }
        return new Account(AccountSettings.resolve(name, vendor.name(), given, vendor.defaults()), vendor);
    }

    /** The group of these accounts: one vendor's, paced at the lowest of their limits. */
    private static RateGroup group(String name, List<Account> members) {
        Account first = members.getFirst();
        for (Account member : members) {
            if (!member.vendor().name().equals(first.vendor().name())) {
                throw new ConfigurationProblem(member.settings().setting("rate-limit-group"), "rate-limit group " + name
                        + " has accounts at two vendors (" + first.name() + " at " + first.vendor().name() + ", "
                        + member.name() + " at " + member.vendor().name() + "); a group shares one vendor's limit");
            }
            if (members.size() > 1 && member.settings().rateLimit() instanceof RatePolicy.Auto) {
                throw new ConfigurationProblem(member.settings().setting("rate-limit"), "account " + member.name()
                        + " paces by what its vendor announces (rate-limit " + member.settings().rateLimit()
                        + "), but shares rate-limit group " + name + " with " + (members.size() - 1) + " other accounts,"
                        + " which pace at the lowest of their fixed limits: give it a fixed rate-limit (N/s or N/min)"
                        + " or a rate-limit-group of its own");
            }
        }
        RatePolicy pace = members.stream().map(a -> a.settings().rateLimit())
                .min(Comparator.comparingDouble(p -> p.unannounced().perSecond())).orElseThrow();
        return new RateGroup(name, pace, members.stream().map(Account::name).toList());
    }

    /**
     * The account a feed names.
     *
     * @param setting the feed's {@code vendor} setting, named in the problem when there is no such account
     */
    public Account get(String name, String setting) {
        Account account = accounts.containsKey(name) ? accounts.get(name) : accounts.get(vendorName(name));
        if (account == null) {
            TreeSet<String> known = new TreeSet<>(accounts.keySet());
            known.addAll(vendorNames);
            throw new ConfigurationProblem(setting, "unknown account '" + name + "'" + SettingsCheck.didYouMean(name, known)
                    + " (an account is an entry under member-sync.vendors, or a vendor's own name)");
        }
        return account;
    }

    /** A vendor's own name as written in a feed's {@code vendor} before accounts existed: in any case, {@code Hang}. */
    private String vendorName(String written) {
        String lower = written.toLowerCase(Locale.ROOT);
        return vendorNames.contains(lower) ? lower : written;
    }

    /** The rate-limit group an account's requests draw on. */
    public RateGroup group(AccountSettings account) {
        return groups.get(account.rateLimitGroup());
    }
}
