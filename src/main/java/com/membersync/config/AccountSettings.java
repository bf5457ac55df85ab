package com.membersync.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One account's settings after defaults are applied and values checked: an account at a vendor, with its own
 * credentials, base URL and limits. The API key is kept out of {@link #toString()} so that it cannot reach a log line
 * by accident.
 *
 * @param account        the account's name, as in {@code member-sync.vendors.<account>}
 * @param vendor         the vendor it is an account at ({@code hang}, {@code decoda}, {@code mayar})
 * @param rateLimitGroup the group whose budget the account's requests draw on (see {@link Defaults#sharedGroup})
 */
public record AccountSettings(
        String account,
        String vendor,
        URI baseUrl,
        String apiKey,
        String tenant,
        RatePolicy rateLimit,
        String rateLimitGroup,
        int maxConcurrency,
        Duration timeout,
        int maxAttempts) {

    /** Loopback hosts: the only ones an API key may travel to in clear. */
    private static final Pattern LOOPBACK = Pattern.compile(
            "localhost|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[(0{0,4}:){2,7}0{0,3}1]", Pattern.CASE_INSENSITIVE);

    /**
     * What a vendor uses when a setting is left out.
     *
     * @param sharedGroup the group every account of the vendor is in unless told otherwise, where the vendor limits
     *                    more than an account (Mayar: per IP); null where each account is a group of its own
     */
    public record Defaults(URI baseUrl, RatePolicy rateLimit, int maxConcurrency, Duration timeout, int maxAttempts,
            String sharedGroup) {}

    public static AccountSettings resolve(String account, String vendor, VendorProperties given, Defaults defaults) {
        VendorProperties p = given == null ? VendorProperties.NONE : given;
        URI baseUrl = p.baseUrl() == null ? defaults.baseUrl() : p.baseUrl();
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new ConfigurationProblem(setting(account, "base-url"), "'" + baseUrl + "' is not an http(s) URL");
        }
        if (scheme.equals("http") && !LOOPBACK.matcher(baseUrl.getHost()).matches()) {
            throw new ConfigurationProblem(setting(account, "base-url"), "'" + baseUrl + "' would send the API key in"
                    + " clear: http:// is only for a loopback host (127.0.0.1, localhost, [::1]: the sandbox, a local"
                    + " proxy); use https://");
        }
        RatePolicy rate;
        try {
            rate = p.rateLimit() == null ? defaults.rateLimit()
                    : RatePolicy.parse(p.rateLimit(), defaults.rateLimit().unannounced());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblem(setting(account, "rate-limit"), e.getMessage());
        }
        String group = blankToNull(p.rateLimitGroup());
        if (group == null) {
            group = defaults.sharedGroup() == null ? account : defaults.sharedGroup();
        }
        int concurrency = p.maxConcurrency() == null ? defaults.maxConcurrency() : p.maxConcurrency();
        if (concurrency < 1) {
            throw new ConfigurationProblem(setting(account, "max-concurrency"), "must be at least 1");
        }
        Duration timeout = p.timeout() == null ? defaults.timeout() : p.timeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigurationProblem(setting(account, "timeout"), "must be positive");
        }
        int attempts = p.maxAttempts() == null ? defaults.maxAttempts() : p.maxAttempts();
        if (attempts < 1) {
            throw new ConfigurationProblem(setting(account, "max-attempts"), "must be at least 1");
        }
        return new AccountSettings(account, vendor, stripTrailingSlash(baseUrl), blankToNull(p.apiKey()),
                blankToNull(p.tenant()), rate, group, concurrency, timeout, attempts);
    }

    /** {@code member-sync.vendors.<account>.<name>}: where one of this account's settings is written. */
    public String setting(String name) {
        return setting(account, name);
    }

    /** {@code member-sync.vendors.<account>.<name>}, for an account not built yet. */
    public static String setting(String account, String name) {
        return "member-sync.vendors." + account + "." + name;
    }

    /** The API key, or a configuration problem naming the setting when there is none. */
    public String requireApiKey() {
        if (apiKey == null) {
            throw new ConfigurationProblem(setting("api-key"), "no API key for " + describe() + "; set "
                    + setting("api-key") + ", e.g. in a file member-sync/vendors/" + account + "/api-key of a mounted"
                    + " Secret (spring.config.import=configtree:...) or the environment variable "
                    + environmentVariable("api-key"));
        }
        return apiKey;
    }

    public String requireTenant() {
        if (tenant == null) {
            throw new ConfigurationProblem(setting("tenant"), "no tenant for " + describe() + "; set "
                    + setting("tenant"));
        }
        return tenant;
    }

    /** {@code account decoda-south (decoda)}, or just {@code hang} for an account named like its vendor. */
    public String describe() {
        return account.equals(vendor) ? vendor : "account " + account + " (" + vendor + ")";
    }

    /** The environment variable Spring Boot binds to one of this account's settings. */
    String environmentVariable(String name) {
        return ("MEMBER_SYNC_VENDORS_" + account + "_" + name).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Resolves {@code path} (which starts with '/') against the base URL, keeping the base URL's own path prefix. */
    public URI endpoint(String path) {
        return URI.create(baseUrl + path);
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "AccountSettings[" + account + " (" + vendor + "), baseUrl=" + baseUrl + ", rateLimit=" + rateLimit
                + ", rateLimitGroup=" + rateLimitGroup + ", maxConcurrency=" + maxConcurrency + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + "]";
    }
}
