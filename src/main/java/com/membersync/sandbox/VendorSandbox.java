package com.membersync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of one account of a vendor's API (a Hang program, a Decoda tenant, a Mayar account) over real
 * HTTP. The base class records every request, enforces the rate limit over a sliding window, injects faults and
 * latency; subclasses answer as the vendor documents. The accounts of a vendor share its {@link #behaviour()}
 * and, where the vendor limits them together, their rate window; each has its own records and requests.
 */
public abstract sealed class VendorSandbox permits MembershipSandbox, MayarSandbox {

    private static final Logger log = LoggerFactory.getLogger(VendorSandbox.class);
    /** What a corporate proxy's login or a maintenance page looks like to an API client. */
    private static final String LOGIN_PAGE = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in</title></head>
            <body><h1>Sign in to continue</h1>
            <p>Your session has expired, or this service is down for maintenance. Please sign in again.</p>
            <form method="post" action="/login"><input name="username"><input name="password" type="password">
            <button>Sign in</button></form></body></html>
            """;

    protected final JsonMapper json = JsonMapper.builder().build();
    private final String name;
    private final String account;
    /** The sandbox's clock, which the fakes' timestamps read too. */
    final Clock clock;
    private final SandboxBehaviour behaviour;
    private final RateWindow window;
    private final List<RecordedRequest> requests = new ArrayList<>();

    /** The vendor's default account, named after the vendor. */
    protected VendorSandbox(String name, Clock clock, RandomGenerator random) {
        this.name = name;
        this.account = name;
        this.clock = clock;
        this.behaviour = new SandboxBehaviour(random);
        this.window = new RateWindow();
    }

    /** Another account of {@code main}'s vendor, with its behaviour and the given rate window. */
    VendorSandbox(VendorSandbox main, String account, RateWindow window) {
        this.name = main.name;
        this.account = account;
        this.clock = main.clock;
        this.behaviour = main.behaviour;
        this.window = window;
    }

    /** The vendor's name, e.g. "hang": the same for all its accounts. */
    public String name() {
        return name;
    }

    /** This account's name: the vendor's name for its default account. */
    public String account() {
        return account;
    }

    /** The vendor's switches, shared by all its accounts. */
    public SandboxBehaviour behaviour() {
        return behaviour;
    }

    /** Every request received so far, 429s and faults included, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * The requests that reached the vendor's logic with this method (not rate limited, no fault injected, not
     * answered by an impostor).
     */
    public List<RecordedRequest> served(String method) {
        return requests().stream().filter(r -> r.method().equals(method) && r.status() != 429 && r.status() != 503
                && r.status() != 0 && !r.impostor()).toList();
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** The settings (relative to {@code member-sync.vendors.<name>.}) and values this fake accepts, e.g. api-key. */
    public abstract Map<String, String> credentials();

    /**
     * A change made in the vendor's own dashboard: top-level fields of {@code changes} replace the stored ones as
     * given. Returns the record after the edit; empty for an unknown id.
     */
    public abstract Optional<ObjectNode> edit(String id, ObjectNode changes);

    /** The record as the vendor stores it, as the admin route shows it. */
    abstract Optional<ObjectNode> record(String id);

    /** The admin route's name for the records, e.g. "memberships". */
    abstract String collection();

    /** Whether the request carries this account's credentials. */
    abstract boolean carries(SandboxRequest request);

    /**
     * The account a request names when its credentials have the form of a new account's (e.g. Hang's
     * {@code hang-sandbox-key-N} names N), else null. Asked of the default account.
     */
    abstract String accountNamedBy(SandboxRequest request);

    /** A new account of this vendor named {@code account}, with the credentials that name it. */
    abstract VendorSandbox newAccount(String account);

    /** This account's rate window, for the accounts that share it. */
    RateWindow window() {
        return window;
    }

    /**
     * The vendor's own answer to the request (its envelope, its fields) naming another record than the one asked
     * for, as a misrouted URL or a mixed-up cache might; reads and changes nothing.
     */
    abstract String anotherRecord(SandboxRequest request);

    /** The id an impostor names instead of {@code id} (null when the request names none). */
    static String anotherId(String id) {
        return id == null || id.isEmpty() ? "other" : "other-" + id;
    }

    /** The request's body as a JSON object, empty when it is none: what an impostor may echo. */
    ObjectNode bodyObject(SandboxRequest request) {
        return request.bodyObject(json).orElseGet(json::createObjectNode);
    }

    /** Copies the text {@code fields} of {@code given} to {@code into}: what an impostor echoes of a request. */
    static void echo(ObjectNode given, ObjectNode into, List<String> fields) {
        for (String field : fields) {
            if (given.path(field).isString()) {
                into.set(field, given.get(field));
            }
        }
    }

    /** The rest of {@code value} after {@code prefix}, or null when it does not start so or nothing follows. */
    static String after(String prefix, String value) {
        return value != null && value.startsWith(prefix) && value.length() > prefix.length()
                ? value.substring(prefix.length()) : null;
    }

    /** The vendor's answer to a request that passed the rate limit and fault injection. */
    protected abstract SandboxResponse serve(SandboxRequest request);

    /** The vendor's error body for an injected 5xx or a 429. */
    protected abstract String errorBody(int status, String message);

    /**
     * The rate-limit headers this vendor puts on every answer while a limit is switched on: none, unless the
     * behaviour announces them as a gateway would (Decoda always does).
     */
    protected Map<String, String> rateLimitHeaders(int limit, int remaining, long resetSeconds) {
        return behaviour.rateLimitAnnounced() ? announce(limit, remaining, resetSeconds) : Map.of();
    }

    /** {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (seconds from now), as Decoda writes them. */
    protected static Map<String, String> announce(int limit, int remaining, long resetSeconds) {
        return Map.of("X-RateLimit-Limit", Integer.toString(limit),
                "X-RateLimit-Remaining", Integer.toString(remaining),
                "X-RateLimit-Reset", Long.toString(resetSeconds));
    }

    /** Answers the request as this account, recording it. */
    void answer(HttpExchange exchange, SandboxRequest request) throws IOException {
        SandboxBehaviour.Impostor impostor = behaviour.impostorFor(request.method());
        if (impostor != null) {
            // Not the vendor: its logic, its rate limit and its faults are never reached.
            respond(exchange, clock.instant(), request, impostorAnswer(impostor, request), true);
            return;
        }
        SandboxBehaviour.Fault fault = behaviour.nextFault();
        RateWindow.Admission admission = fault == SandboxBehaviour.Fault.TOO_MANY_REQUESTS
                ? new RateWindow.Admission(clock.instant(), 1)
                : window.admit(clock, behaviour.ratePermits(), behaviour.rateWindow());
        SandboxResponse response;
        if (!admission.admitted()) {
            response = new SandboxResponse(429, errorBody(429, "Too many requests"),
                    Map.of("Retry-After", Long.toString(admission.retryAfterSeconds())));
        } else if (fault == SandboxBehaviour.Fault.DROP_CONNECTION) {
            record(admission.at(), request, 0, false);
            sleep(behaviour.nextLatency());
            return;
        } else if (fault == SandboxBehaviour.Fault.SERVER_ERROR) {
            response = SandboxResponse.json(503, errorBody(503, "Service temporarily unavailable"));
        } else {
            if (fault == SandboxBehaviour.Fault.SLOW_ANSWER) {
                sleep(behaviour.slowAnswer());
            }
            response = serveSafely(request);
        }
        respond(exchange, admission.at(), request, response, false);
    }

    private void respond(HttpExchange exchange, Instant at, SandboxRequest request, SandboxResponse response,
            boolean impostor) throws IOException {
        record(at, request, response.status(), impostor);
        sleep(behaviour.nextLatency());
        send(exchange, response, impostor);
    }

    private SandboxResponse impostorAnswer(SandboxBehaviour.Impostor kind, SandboxRequest request) {
        return switch (kind) {
            case HTML_PAGE -> new SandboxResponse(200, LOGIN_PAGE, Map.of("Content-Type", "text/html; charset=utf-8"));
            case EMPTY_BODY -> SandboxResponse.json(200, "");
            case OTHER_JSON -> SandboxResponse.json(200, "{\"ok\": true}");
            case OTHER_ID -> SandboxResponse.json(200, anotherRecord(request));
        };
    }

    private SandboxResponse serveSafely(SandboxRequest request) {
        try {
            return serve(request);
        } catch (RuntimeException e) {
            log.error("{} sandbox ({}): failed to answer {} {}", name, account, request.method(), request.path(), e);
            return SandboxResponse.json(500, errorBody(500, "sandbox error: " + e));
        }
    }

    private void record(Instant at, SandboxRequest request, int status, boolean impostor) {
        synchronized (requests) {
            requests.add(new RecordedRequest(at, request.method(), request.path(), request.headers(), request.body(),
                    status, impostor));
        }
    }

    private void send(HttpExchange exchange, SandboxResponse response, boolean impostor) throws IOException {
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        int permits = behaviour.ratePermits();
        if (permits > 0 && !impostor) {
            rateLimitHeaders(permits, window.remaining(permits), behaviour.rateWindow().toSeconds())
                    .forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
