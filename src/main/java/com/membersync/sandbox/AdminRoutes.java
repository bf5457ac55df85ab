package com.membersync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's stand-in for each vendor's own dashboard, where people change records behind member-sync's back:
 * <pre>
 *   GET   /_admin/hang/memberships/{id}        the record as the vendor stores it
 *   PATCH /_admin/hang/memberships/{id}        a JSON object merged into it; answers the record after the edit
 *         /_admin/decoda/memberships/{id}      the same for Decoda
 *         /_admin/mayar/members/{memberId}     the same for Mayar
 * </pre>
 * No vendor has this route, so it takes no key, is not rate limited, injects no faults and is not among the
 * vendor's recorded requests. The edit is the fakes' own {@code edit} method, which tests call directly.
 * Errors are {@code {"error": "..."}}: 404 for an unknown vendor or record, 400 for a body that is not a JSON
 * object, 405 for another method.
 */
final class AdminRoutes implements HttpHandler {

    static final String PATH = "/_admin";
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final Pattern RECORD = Pattern.compile("^/([^/]+)/([^/]+)/([^/]+)$");

    /** How one vendor's records are read and edited. */
    private record Records(Function<String, Optional<ObjectNode>> read,
            BiFunction<String, ObjectNode, Optional<ObjectNode>> edit) {}

    private final JsonMapper json = JsonMapper.builder().build();
    /** By "vendor/collection", e.g. "mayar/members". */
    private final Map<String, Records> records = new ConcurrentHashMap<>();

    void expose(String vendor, String collection, Function<String, Optional<ObjectNode>> read,
            BiFunction<String, ObjectNode, Optional<ObjectNode>> edit) {
        records.put(vendor + "/" + collection, new Records(read, edit));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath().substring(exchange.getHttpContext().getPath().length());
            send(exchange, answer(exchange.getRequestMethod(), path, body));
        } catch (IOException | RuntimeException e) {
            log.error("sandbox admin: failed to answer {}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private SandboxResponse answer(String method, String path, String body) {
        Matcher m = RECORD.matcher(path);
        Records vendor = m.matches() ? records.get(m.group(1) + "/" + m.group(2)) : null;
        if (vendor == null) {
            return error(404, "No admin route " + path + "; try one of " + records.keySet().stream().sorted()
                    .map(r -> PATH + "/" + r + "/{id}").toList());
        }
        String id = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        Optional<ObjectNode> found;
        if (method.equals("GET")) {
            found = vendor.read().apply(id);
        } else if (!method.equals("PATCH")) {
            return new SandboxResponse(405, errorBody("Use GET or PATCH"), Map.of("Allow", "GET, PATCH"));
        } else if (object(body) instanceof ObjectNode changes) {
            found = vendor.edit().apply(id, changes);
        } else {
            return error(400, "The body must be a JSON object of the fields to change");
        }
        return found.map(record -> SandboxResponse.json(200, json.writeValueAsString(record)))
                .orElseGet(() -> error(404, "No record " + id + " at " + m.group(1)));
    }

    private ObjectNode object(String body) {
        try {
            return json.readTree(body) instanceof ObjectNode changes ? changes : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private SandboxResponse error(int status, String message) {
        return SandboxResponse.json(status, errorBody(message));
    }

    private String errorBody(String message) {
        ObjectNode error = json.createObjectNode();
        error.put("error", message);
        return json.writeValueAsString(error);
    }

    private static void send(HttpExchange exchange, SandboxResponse response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
