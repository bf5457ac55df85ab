package com.membersync.connector;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Building the vendors' request URLs. */
public final class UrlPath {

    private UrlPath() {}

    /** A key as one segment of a URL path. */
    public static String segment(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
