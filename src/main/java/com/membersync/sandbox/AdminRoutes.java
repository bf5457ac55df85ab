package com.membersync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's stand-in for each vendor's own dashboard, where people change records behind member-sync's back:
 * <pre>
 *   GET   /_admin/hang/memberships/{id}        the record as the vendor stores it
 *   PATCH /_admin/hang/memberships/{id}        a JSON object merged into it; answers the record after the edit
 *         /_admin/decoda/memberships/{id}      the same for Decoda
 *         /_admin/mayar/members/{memberId}     the same for Mayar
 * </pre>
 * These are the default account's records; {@code ?account=N} selects the account N instead (404 when the vendor
 * has no such account). The edit is the fakes' own {@code edit} method, which tests call directly.
 *
 * <p>For rehearsals of what member-sync does when something other than the vendor answers at its URL (see
 * {@link SandboxBehaviour#impostor}), for all accounts of a vendor:
 * <pre>
 *   PUT   /_admin/hang/impostor   {"answer": "html" | "empty" | "other-json" | "other-id" | "none",
 *                                  "methods": ["GET", ...]}   (methods optional: all when left out or empty)
 *   GET   /_admin/hang/impostor   the setting, as the PUT answers it: {"answer": "html", "methods": ["GET"]}
 * </pre>
 * "html" answers a login page, "empty" a JSON type with no body, "other-json" {@code {"ok": true}}, "other-id"
 * the vendor's envelope naming another record; "none" lets the vendor answer again.
 *
 * <p>No vendor has these routes, so they take no key, are not rate limited, inject no faults and are not among
 * the vendor's recorded requests. Errors are {@code {"error": "..."}}: 404 for an unknown vendor, account or
 * record, 400 for a body that is not a JSON object or not a setting, 405 for another method.
 */
final class AdminRoutes implements HttpHandler {

    static final String PATH = "/_admin";
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final Pattern RECORD = Pattern.compile("^/([^/]+)/([^/]+)/([^/]+)$");
    private static final Pattern IMPOSTOR = Pattern.compile("^/([^/]+)/impostor$");

    private final JsonMapper json = JsonMapper.builder().build();
    /** By vendor name. */
    private final Map<String, VendorAccounts<?>> vendors;

    AdminRoutes(Map<String, VendorAccounts<?>> vendors) {
        this.vendors = vendors;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            SandboxRequest request = SandboxRequest.read(exchange);
            send(exchange, answer(request));
        } catch (IOException | RuntimeException e) {
            log.error("sandbox admin: failed to answer {}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private SandboxResponse answer(SandboxRequest request) {
        Matcher impostor = IMPOSTOR.matcher(request.path());
        if (impostor.matches() && vendors.get(impostor.group(1)) instanceof VendorAccounts<?> vendor) {
            return impostor(vendor.main().behaviour(), request);
        }
        Matcher m = RECORD.matcher(request.path());
        VendorAccounts<?> vendor = m.matches() ? vendors.get(m.group(1)) : null;
        if (vendor == null || !vendor.main().collection().equals(m.group(2))) {
            return error(404, "No admin route " + request.path() + "; try one of " + vendors.values().stream()
                    .flatMap(v -> Stream.of(PATH + "/" + v.vendor() + "/" + v.main().collection() + "/{id}",
                            PATH + "/" + v.vendor() + "/impostor")).toList());
        }
        String name = request.parameter("account");
        Optional<? extends VendorSandbox> found = name == null ? Optional.of(vendor.main()) : vendor.find(name);
        if (found.isEmpty()) {
            return error(404, "No account " + name + " at " + vendor.vendor());
        }
        VendorSandbox account = found.get();
        String id = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        Optional<ObjectNode> record;
        if (request.method().equals("GET")) {
            record = account.record(id);
        } else if (!request.method().equals("PATCH")) {
            return new SandboxResponse(405, errorBody("Use GET or PATCH"), Map.of("Allow", "GET, PATCH"));
        } else if (request.bodyObject(json).orElse(null) instanceof ObjectNode changes) {
            record = account.edit(id, changes);
        } else {
            return error(400, "The body must be a JSON object of the fields to change");
        }
        return record.map(r -> SandboxResponse.json(200, json.writeValueAsString(r)))
                .orElseGet(() -> error(404, "No record " + id + " at " + vendor.vendor()
                        + (name == null ? "" : " (account " + name + ")")));
    }

    /** Reads or switches the vendor's impostor; answers the setting. */
    private SandboxResponse impostor(SandboxBehaviour behaviour, SandboxRequest request) {
        if (request.method().equals("PUT")) {
            if (!switchImpostor(behaviour, request.bodyObject(json).orElse(null))) {
                return error(400, "The body must be {\"answer\": \"html\" | \"empty\" | \"other-json\" | \"other-id\""
                        + " | \"none\", \"methods\": [\"GET\", ...]} (methods optional)");
            }
        } else if (!request.method().equals("GET")) {
            return new SandboxResponse(405, errorBody("Use GET or PUT"), Map.of("Allow", "GET, PUT"));
        }
        SandboxBehaviour.ImpostorSetting now = behaviour.impostor();
        ObjectNode setting = json.createObjectNode();
        setting.put("answer", now == null ? "none" : now.kind().word());
        ArrayNode methods = setting.putArray("methods");
        if (now != null) {
            now.methods().stream().sorted().forEach(methods::add);
        }
        return SandboxResponse.json(200, json.writeValueAsString(setting));
    }

    /** Switches the impostor as {@code setting} says; false, changing nothing, when it is no setting. */
    private static boolean switchImpostor(SandboxBehaviour behaviour, ObjectNode setting) {
        if (setting == null || !(setting.get("answer") instanceof JsonNode answer && answer.isString())) {
            return false;
        }
        JsonNode methods = setting.path("methods");
        boolean listed = methods.isArray() && methods.valueStream().allMatch(JsonNode::isString);
        if (!listed && !methods.isMissingNode() && !methods.isNull()) {
            return false;
        }
        if (answer.stringValue().equals("none")) {
            behaviour.impostor(null);
            return true;
        }
        Optional<SandboxBehaviour.Impostor> kind = Stream.of(SandboxBehaviour.Impostor.values())
                .filter(i -> i.word().equals(answer.stringValue())).findFirst();
        kind.ifPresent(k -> behaviour.impostor(k, listed
                ? methods.valueStream().map(JsonNode::stringValue).toArray(String[]::new) : new String[0]));
        return kind.isPresent();
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
