package com.membersync.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request a sandbox received, and the status it answered; what tests assert on. {@code impostor} when an
 * impostor answered it instead of the vendor (see {@link SandboxBehaviour#impostor}).
 */
public record RecordedRequest(Instant at, String method, String path, Map<String, List<String>> headers, String body,
        int status, boolean impostor) {

    public String header(String name) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }
}
