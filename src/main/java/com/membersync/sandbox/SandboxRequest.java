package com.membersync.sandbox;

import java.util.List;
import java.util.Map;

/** A request as a vendor fake sees it: the path below the vendor's prefix, headers and body. */
public record SandboxRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {

    public String header(String name) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }
}
