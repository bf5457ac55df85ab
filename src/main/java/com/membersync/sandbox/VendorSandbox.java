package com.membersync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stateful fake of one vendor's API over real HTTP. The base class records every request, enforces the
 * rate limit over a sliding window, injects faults and latency; subclasses answer as the vendor documents.
 */
public abstract class VendorSandbox implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(VendorSandbox.class);
    protected final JsonMapper json = JsonMapper.builder().build();
    private final String name;
    private final Clock clock;
    private final SandboxBehaviour behaviour;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<Instant> accepted = new ArrayDeque<>();

    protected VendorSandbox(String name, Clock clock, RandomGenerator random) {
        this.name = name;
        this.clock = clock;
        this.behaviour = new SandboxBehaviour(random);
    }

    public String name() {
        return name;
    }

    public SandboxBehaviour behaviour() {
        return behaviour;
    }

    /** Every request received so far, 429s and faults included, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests that reached the vendor's logic with this method (not rate limited, no fault injected). */
    public List<RecordedRequest> served(String method) {
        return requests().stream().filter(r -> r.method().equals(method) && r.status() != 429 && r.status() != 503
                && r.status() != 0).toList();
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** The settings (relative to {@code member-sync.vendors.<name>.}) and values this fake accepts, e.g. api-key. */
    public abstract Map<String, String> credentials();

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

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        try {
            answer(exchange);
        } catch (IOException | RuntimeException | Error e) {
            log.error("{} sandbox: failed to answer {}", name, exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Instant arrived = clock.instant();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath().substring(exchange.getHttpContext().getPath().length());
            var headers = Map.copyOf(exchange.getRequestHeaders());
            SandboxRequest request = new SandboxRequest(exchange.getRequestMethod(), path,
                    exchange.getRequestURI().getRawQuery(), headers, body);

            SandboxBehaviour.Fault fault = behaviour.nextFault();
            Long retryAfter = fault == SandboxBehaviour.Fault.TOO_MANY_REQUESTS ? Long.valueOf(1) : admit(arrived);
            SandboxResponse response;
            if (retryAfter != null) {
                response = new SandboxResponse(429, errorBody(429, "Too many requests"),
                        Map.of("Retry-After", Long.toString(retryAfter)));
            } else if (fault == SandboxBehaviour.Fault.DROP_CONNECTION) {
                record(arrived, request, 0);
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
            record(arrived, request, response.status());
            sleep(behaviour.nextLatency());
            send(exchange, response);
        }
    }

    private SandboxResponse serveSafely(SandboxRequest request) {
        try {
            return serve(request);
        } catch (RuntimeException e) {
            log.error("{} sandbox: failed to answer {} {}", name, request.method(), request.path(), e);
            return SandboxResponse.json(500, errorBody(500, "sandbox error: " + e));
        }
    }

    /** Null when the request is within the rate limit, else the seconds to wait. */
    private Long admit(Instant now) {
        int permits = behaviour.ratePermits();
        if (permits <= 0) {
            return null;
        }
        Duration window = behaviour.rateWindow();
        synchronized (accepted) {
            Instant horizon = now.minus(window);
            while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(horizon)) {
                accepted.pollFirst();
            }
            if (accepted.size() >= permits) {
                Duration untilFree = Duration.between(now, accepted.peekFirst().plus(window));
                return Math.max(1, (untilFree.toMillis() + 999) / 1000);
            }
            accepted.addLast(now);
            return null;
        }
    }

    private void record(Instant at, SandboxRequest request, int status) {
        synchronized (requests) {
            requests.add(new RecordedRequest(at, request.method(), request.path(), request.headers(), request.body(), status));
        }
    }

    private void send(HttpExchange exchange, SandboxResponse response) throws IOException {
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        int permits = behaviour.ratePermits();
        if (permits > 0) {
            int remaining;
            synchronized (accepted) {
                remaining = Math.max(0, permits - accepted.size());
            }
            rateLimitHeaders(permits, remaining, behaviour.rateWindow().toSeconds())
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
