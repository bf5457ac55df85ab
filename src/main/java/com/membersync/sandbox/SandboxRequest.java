package com.membersync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A request as a vendor fake sees it: the path below the vendor's prefix, headers and body. */
public record SandboxRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {

    /** Reads the exchange's request, its path relative to the context's (the vendor's prefix). */
    static SandboxRequest read(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath().substring(exchange.getHttpContext().getPath().length());
        return new SandboxRequest(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body);
    }

    /** The body as a JSON object; empty when it is none (no body, not JSON, or JSON of another kind). */
    Optional<ObjectNode> bodyObject(JsonMapper json) {
        try {
            return body != null && json.readTree(body) instanceof ObjectNode object ? Optional.of(object)
                    : Optional.empty();
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }

    public String header(String name) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }

    /** The first value of a query parameter, decoded ("" for {@code ?name} or {@code ?name=}), or null when absent. */
    public String parameter(String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
