package com.membersync.sandbox;

import java.util.Map;

/** What a vendor fake answers. */
public record SandboxResponse(int status, String body, Map<String, String> headers) {

    public static SandboxResponse json(int status, String body) {
        return new SandboxResponse(status, body, Map.of());
    }
}
