package com.membersync.config;

import java.net.URI;
import java.time.Duration;

/**
 * {@code member-sync.vendors.<account>.*}: one account at a vendor. Unset values fall back to the vendor's documented
 * defaults, see {@link AccountSettings#resolve}.
 *
 * @param type           the vendor ({@code hang}, {@code decoda}, {@code mayar}); may be left out when the account is
 *                       named like its vendor
 * @param rateLimitGroup accounts naming one group share one budget, across processes
 */
public record VendorProperties(
        String type,
        URI baseUrl,
        String apiKey,
        String tenant,
        String rateLimit,
        String rateLimitGroup,
        Integer maxConcurrency,
        Duration timeout,
        Integer maxAttempts) {

    /** An account nothing was configured for: every value the vendor's default. */
    static final VendorProperties NONE = new VendorProperties(null, null, null, null, null, null, null, null, null);

    @Override
    public String toString() {
        // Never print the key: records' generated toString would.
        return "VendorProperties[type=" + type + ", baseUrl=" + baseUrl + ", rateLimit=" + rateLimit
                + ", rateLimitGroup=" + rateLimitGroup + ", maxConcurrency=" + maxConcurrency + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + "]";
    }
}
