package com.membersync.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * One vendor's settings after defaults are applied and values checked. The API key is kept out of
 * {@link #toString()} so that it cannot reach a log line by accident.
 */
public record VendorSettings(
        String vendor,
        URI baseUrl,
        String apiKey,
        String tenant,
        RatePolicy rateLimit,
        int maxConcurrency,
        Duration timeout,
        int maxAttempts) {

    /** What a vendor uses when a setting is left out. */
    public record Defaults(URI baseUrl, RatePolicy rateLimit, int maxConcurrency, Duration timeout, int maxAttempts) {}

    public static VendorSettings resolve(String vendor, VendorProperties given, Defaults defaults) {
        String prefix = "member-sync.vendors." + vendor + ".";
        VendorProperties p = given == null ? new VendorProperties(null, null, null, null, null, null, null) : given;
        URI baseUrl = p.baseUrl() == null ? defaults.baseUrl() : p.baseUrl();
        if (baseUrl.getScheme() == null || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))
                || baseUrl.getHost() == null) {
            throw new ConfigurationProblem(prefix + "base-url", "'" + baseUrl + "' is not an http(s) URL");
        }
        RatePolicy rate;
        try {
            rate = p.rateLimit() == null ? defaults.rateLimit()
                    : RatePolicy.parse(p.rateLimit(), defaults.rateLimit().unannounced());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblem(prefix + "rate-limit", e.getMessage());
        }
        int concurrency = p.maxConcurrency() == null ? defaults.maxConcurrency() : p.maxConcurrency();
        if (concurrency < 1) {
            throw new ConfigurationProblem(prefix + "max-concurrency", "must be at least 1");
        }
        Duration timeout = p.timeout() == null ? defaults.timeout() : p.timeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigurationProblem(prefix + "timeout", "must be positive");
        }
        int attempts = p.maxAttempts() == null ? defaults.maxAttempts() : p.maxAttempts();
        if (attempts < 1) {
            throw new ConfigurationProblem(prefix + "max-attempts", "must be at least 1");
        }
        return new VendorSettings(vendor, stripTrailingSlash(baseUrl), blankToNull(p.apiKey()), blankToNull(p.tenant()),
                rate, concurrency, timeout, attempts);
    }

    /** The API key, or a configuration problem naming the setting when there is none. */
    public String requireApiKey() {
        if (apiKey == null) {
            throw new ConfigurationProblem("member-sync.vendors." + vendor + ".api-key",
                    "no API key for " + vendor + "; set it, e.g. with the environment variable MEMBER_SYNC_VENDORS_"
                            + vendor.toUpperCase(Locale.ROOT) + "_API_KEY");
        }
        return apiKey;
    }

    public String requireTenant() {
        if (tenant == null) {
            throw new ConfigurationProblem("member-sync.vendors." + vendor + ".tenant", "no tenant for " + vendor);
        }
        return tenant;
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
        return "VendorSettings[" + vendor + ", baseUrl=" + baseUrl + ", rateLimit=" + rateLimit + ", maxConcurrency="
                + maxConcurrency + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
