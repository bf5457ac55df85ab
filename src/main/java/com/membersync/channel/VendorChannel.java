package com.membersync.channel;

import com.membersync.config.AccountSettings;
import com.membersync.config.RateGroup;
import com.membersync.observability.PersonalData;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one road to a vendor account, shared by all feeds of that account in a run. Every request passes through it:
 * at most {@code max-concurrency} in flight, spaced by its rate-limit group's {@link RequestPacer} (shared with the
 * group's other accounts, and through a {@link SlotLedger} with other processes), a deadline on each, 429s waited out
 * (pausing the whole group, never counted as a failure), 5xx, timeouts, lost connections and answers that are not
 * the vendor's retried with exponential backoff and jitter up to {@code max-attempts}, and a circuit breaker that
 * stops the account for the rest of the run when most recent calls fail.
 */
public final class VendorChannel {

    private static final Logger log = LoggerFactory.getLogger(VendorChannel.class);
    /** A vendor that answers nothing but 429 for this long per request is treated as down. */
    private static final int MAX_CONSECUTIVE_429 = 50;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AccountSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final GroupPace pace;
    private final RequestPacer pacer;
    private final RequestPacer.Sleeper sleeper;
    private final Semaphore inFlight;
    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final String authHint;
    private final AtomicReference<String> stopped = new AtomicReference<>();
    private final AtomicReference<Exchange.GaveUp> recentFailure = new AtomicReference<>();
    private final ChannelStats stats;
    private final ChannelObserver observer;
    private final JsonMapper json;
    /**
     * The first request goes alone: it pays for class loading and connection set-up, so it can reach the vendor
     * much later than its slot. Pacing the others from its answer keeps that delay out of the vendor's window.
     */
    private final CountDownLatch warmedUp = new CountDownLatch(1);
    private final AtomicBoolean warmingUp = new AtomicBoolean();

    /**
     * @param pace     the pace of the account's rate-limit group, shared with its other accounts
     * @param authHint what to tell the operator when the vendor refuses our credentials, naming the settings
     * @param observer told about every attempt, 429 and retry (metrics)
     * @param json     reads the answers, to tell the vendor's from anything else
     */
    VendorChannel(AccountSettings settings, GroupPace pace, HttpClient http, Clock clock, RequestPacer.Sleeper sleeper,
            CircuitBreaker breaker, String authHint, ChannelObserver observer, JsonMapper json) {
        this.observer = observer;
        this.json = json;
        this.settings = settings;
        this.pace = pace;
        this.pacer = pace.pacer();
        this.stats = new ChannelStats(settings, pace.group());
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.inFlight = new Semaphore(settings.maxConcurrency(), true);
        this.breaker = breaker;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(250), 2.0, 0.5, MAX_BACKOFF);
        this.authHint = authHint;
    }

    public AccountSettings settings() {
        return settings;
    }

    public ChannelStats stats() {
        return stats;
    }

    /** The rate-limit group the account's requests draw on. */
    public RateGroup group() {
        return pace.group();
    }

    /** Stops sending for the rest of the run; requests already in flight finish. */
    public void stop(String reason) {
        if (stopped.compareAndSet(null, reason)) {
            log.warn("{}: delivery stopped: {}", settings.account(), PersonalData.mask(reason));
        }
    }

    public Optional<String> stopReason() {
        return Optional.ofNullable(stopped.get());
    }

    /**
     * Sends one request, waiting, pacing and retrying as the vendor's settings say. Only what the vendor documents
     * comes back as {@link Exchange.Answered}: anything else (another content type, an empty body, JSON of another
     * shape, a redirect) fails the attempt like a 5xx does, since it says nothing about what the vendor holds.
     */
    public Exchange send(HttpRequest.Builder builder, Expected expected) throws InterruptedException {
        if (warmedUp.getCount() > 0) {
            if (warmingUp.compareAndSet(false, true)) {
                try {
                    return exchange(builder, expected, true);
                } finally {
                    pacer.pauseUntil(clock.instant().plus(pacer.interval()));
                    warmedUp.countDown();
                }
            }
            warmedUp.await();
        }
        return exchange(builder, expected, false);
    }

    /** @param cold the account's first request: its first attempt may reach the vendor well after its slot */
    private Exchange exchange(HttpRequest.Builder builder, Expected expected, boolean cold) throws InterruptedException {
        HttpRequest request = builder.timeout(settings.timeout()).build();
        int attempt = 0;
        int rateLimited = 0;
        Exchange.GaveUp lastFailure = null;
        while (true) {
            String reason = stopped.get();
            if (reason != null) {
                return new Exchange.Stopped(reason);
            }
            if (attempt >= settings.maxAttempts()) {
                return lastFailure;
            }
            if (!breaker.tryAcquirePermission()) {
                stop(unavailable());
                continue;
            }
            inFlight.acquire();
            long started = System.nanoTime();
            long sent = started; // latency for metrics leaves out the wait for the pacer
            long number;
            Instant departed;
            HttpResponse<String> response;
            try {
                number = pacer.acquire(cold && attempt == 0 && rateLimited == 0);
                departed = clock.instant();
                stats.timeline.sent(departed, pacer.limit().perSecond());
                sent = System.nanoTime();
                stats.requests.increment();
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                stats.connectionErrors.increment();
                observer.attempted(settings, ChannelObserver.TIMEOUT, Duration.ofNanos(System.nanoTime() - sent));
                lastFailure = new Exchange.GaveUp(null, "no answer within " + settings.timeout() + " ("
                        + settings.setting("timeout") + ")");
                attempt++;
                backOff(attempt, lastFailure);
                continue;
            } catch (IOException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                stats.connectionErrors.increment();
                observer.attempted(settings, ChannelObserver.IO_ERROR, Duration.ofNanos(System.nanoTime() - sent));
                lastFailure = new Exchange.GaveUp(null, "connection failed: " + describe(e));
                attempt++;
                backOff(attempt, lastFailure);
                continue;
            } finally {
                inFlight.release();
            }
            long elapsed = System.nanoTime() - started;
            int status = response.statusCode();
            observer.attempted(settings, Integer.toString(status), Duration.ofNanos(System.nanoTime() - sent));
            pace.learn(response.headers(), status, number, departed)
                    .ifPresent(wait -> stats.timeline.paused(clock.instant(), wait));
            if (status == 429) {
                breaker.releasePermission();
                stats.tooManyRequests.increment();
                observer.rateLimited(settings);
                if (++rateLimited > MAX_CONSECUTIVE_429) {
                    return new Exchange.GaveUp(429, "still rate limited after " + MAX_CONSECUTIVE_429 + " waits: " + Exchange.abbreviate(response.body()));
                }
                int waits = rateLimited;
                Duration wait = pace.headers().retryAfter(response.headers())
                        .orElseGet(() -> Duration.ofMillis(backoff.apply(waits)));
                log.debug("{}: 429, every request of rate-limit group {} waits {}", settings.account(),
                        pace.group().name(), wait);
                Instant now = clock.instant();
                stats.timeline.tooManyRequests(now);
                stats.timeline.paused(now, wait);
                pacer.pauseUntil(now.plus(wait));
                continue;
            }
            if (status >= 500) {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, new IOException("HTTP " + status));
                stats.serverErrors.increment();
                lastFailure = new Exchange.GaveUp(status, Exchange.abbreviate(response.body()));
                attempt++;
                backOff(attempt, lastFailure);
                continue;
            }
            Optional<JsonNode> document = document(response);
            if (status == 401 || status == 403) {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                stop(document.isPresent() ? "the vendor refused our credentials (HTTP " + status + "): " + authHint
                        : foreign(response, expected) + "; or " + authHint);
                return new Exchange.Stopped(stopped.get());
            }
            if (document.isEmpty() || status / 100 == 3
                    || !(status < 300 ? expected.answer() : expected.error()).test(document.get())) {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, new IOException("not the vendor's answer"));
                stats.foreignAnswers.increment();
                observer.foreignAnswer(settings);
                lastFailure = new Exchange.GaveUp(status, foreign(response, expected), true);
                attempt++;
                backOff(attempt, lastFailure);
                continue;
            }
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            return new Exchange.Answered(status, response.body(), response.headers(), document.get());
        }
    }

    /** The answer's JSON, when it is JSON: a JSON content type (or none) and a body that parses to an object or array. */
    private Optional<JsonNode> document(HttpResponse<String> response) {
        Optional<String> type = response.headers().firstValue("Content-Type");
        String body = response.body();
        if (type.isPresent() && !type.get().toLowerCase(Locale.ROOT).contains("json") || body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isContainer() ? Optional.of(node) : Optional.empty();
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }

    /** Why an answer is not the vendor's, what came back, and what to check. */
    private String foreign(HttpResponse<String> response, Expected expected) {
        String type = response.headers().firstValue("Content-Type").map(t -> " " + t).orElse("");
        String location = response.statusCode() / 100 == 3
                ? response.headers().firstValue("Location").map(to -> " to " + to).orElse("") : "";
        String body = response.body() == null || response.body().isBlank() ? "an empty body"
                : "'" + Exchange.abbreviate(response.body(), 120) + "'";
        return "HTTP " + response.statusCode() + type + location + " with " + body + ", not "
                + expected.what() + " as " + settings.vendor() + " documents it; check " + settings.setting("base-url")
                + ", which may reach a proxy, a login or maintenance page, or another host than " + settings.vendor()
                + "'s API";
    }

    private void backOff(int attempt, Exchange.GaveUp failure) throws InterruptedException {
        recentFailure.set(failure);
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            stop(unavailable());
            return;
        }
        if (attempt < settings.maxAttempts()) {
            stats.retries.increment();
            observer.retrying(settings);
            sleeper.sleep(Duration.ofMillis(backoff.apply(attempt)));
        }
    }

    /**
     * Why the breaker stopped delivery, from the channel's most recent failure: the request that finds the breaker
     * open may not be one of those that opened it.
     */
    private String unavailable() {
        Exchange.GaveUp last = recentFailure.get();
        if (last != null && last.foreign()) {
            return settings.describe() + ": the answers are not " + settings.vendor() + "'s API's; most recent requests"
                    + " got something else (last: " + last.answer() + "); the remaining rows stay pending for the next run";
        }
        return settings.describe() + " looks unavailable: most recent requests failed"
                + (last == null ? "" : " (last: " + (last.status() == null ? "" : "HTTP " + last.status() + " ") + last.answer() + ")")
                + "; the remaining rows stay pending for the next run";
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
