package com.membersync.config;

import java.net.URI;
import java.time.Duration;

/**
 * {@code member-sync.vendors.<vendor>.*}. Unset values fall back to the vendor's documented defaults,
 * see {@link VendorSettings#resolve}.
 */
public record VendorProperties(
        URI baseUrl,
        String apiKey,
        String tenant,
        String rateLimit,
        Integer maxConcurrency,
        Duration timeout,
        Integer maxAttempts) {

    @Override
    public String toString() {
        // Never print the key: records' generated toString would.
        return "VendorProperties[baseUrl=" + baseUrl + ", rateLimit=" + rateLimit + ", maxConcurrency=" + maxConcurrency
                + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
