package com.membersync.channel;

import com.membersync.config.RateLimit;
import com.membersync.config.RatePolicy;
import com.membersync.config.VendorSettings;
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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one road to a vendor, shared by all feeds of that vendor in a run. Every request passes through it:
 * at most {@code max-concurrency} in flight, spaced by the vendor's {@link RequestPacer}, a deadline on each,
 * 429s waited out (pausing the whole vendor, never counted as a failure), 5xx, timeouts and lost connections
 * retried with exponential backoff and jitter up to {@code max-attempts}, and a circuit breaker that stops the
 * vendor for the rest of the run when most recent calls fail.
 */
public final class VendorChannel {

    private static final Logger log = LoggerFactory.getLogger(VendorChannel.class);
    /** A vendor that answers nothing but 429 for this long per request is treated as down. */
    private static final int MAX_CONSECUTIVE_429 = 50;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Under {@code rate-limit: auto}, before any answer announced a limit: cautious, and only after the first one. */
    private static final RateLimit AUTO_START = new RateLimit(1, Duration.ofSeconds(1));

    private final VendorSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final RequestPacer pacer;
    private final RequestPacer.Sleeper sleeper;
    private final Semaphore inFlight;
    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final String authHint;
    private final AtomicReference<String> stopped = new AtomicReference<>();
    /** Learns the pace from the vendor's headers under {@code rate-limit: auto}; null for a fixed limit. */
    private final AnnouncedLimit announced;
    private volatile boolean learned;
    private final ChannelStats stats = new ChannelStats();
    private final ChannelObserver observer;
    private final RateLimitHeaders rateLimitHeaders;
    /**
     * The first request goes alone: it pays for class loading and connection set-up, so it can reach the vendor
     * much later than its slot. Pacing the others from its answer keeps that delay out of the vendor's window.
     */
    private final CountDownLatch warmedUp = new CountDownLatch(1);
    private final AtomicBoolean warmingUp = new AtomicBoolean();

    /**
     * @param authHint what to tell the operator when the vendor refuses our credentials, naming the settings
     */
    public VendorChannel(VendorSettings settings, HttpClient http, Clock clock, RequestPacer.Sleeper sleeper,
            CircuitBreaker breaker, String authHint) {
        this(settings, http, clock, sleeper, breaker, authHint, ChannelObserver.NONE);
    }

    /** @param observer told about every attempt, 429 and retry (metrics) */
    public VendorChannel(VendorSettings settings, HttpClient http, Clock clock, RequestPacer.Sleeper sleeper,
            CircuitBreaker breaker, String authHint, ChannelObserver observer) {
        this.observer = observer;
        this.rateLimitHeaders = new RateLimitHeaders(clock);
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.pacer = new RequestPacer(settings.rateLimit() instanceof RatePolicy.Fixed fixed ? fixed.limit() : AUTO_START,
                clock, sleeper);
        this.announced = settings.rateLimit() instanceof RatePolicy.Auto auto ? new AnnouncedLimit(auto.ceiling(), pacer) : null;
        this.inFlight = new Semaphore(settings.maxConcurrency(), true);
        this.breaker = breaker;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(250), 2.0, 0.5, MAX_BACKOFF);
        this.authHint = authHint;
    }

    public VendorSettings settings() {
        return settings;
    }

    public ChannelStats stats() {
        return stats;
    }

    /** Stops sending for the rest of the run; requests already in flight finish. */
    public void stop(String reason) {
        if (stopped.compareAndSet(null, reason)) {
            log.warn("{}: delivery stopped: {}", settings.vendor(), PersonalData.mask(reason));
        }
    }

    public Optional<String> stopReason() {
        return Optional.ofNullable(stopped.get());
    }

    /** Sends one request, waiting, pacing and retrying as the vendor's settings say. */
    public Exchange send(HttpRequest.Builder builder) throws InterruptedException {
        if (warmedUp.getCount() > 0) {
            if (warmingUp.compareAndSet(false, true)) {
                try {
                    return exchange(builder);
                } finally {
                    pacer.pauseUntil(clock.instant().plus(pacer.interval()));
                    warmedUp.countDown();
                }
            }
            warmedUp.await();
        }
        return exchange(builder);
    }

    private Exchange exchange(HttpRequest.Builder builder) throws InterruptedException {
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
                stop(unavailable(lastFailure));
                continue;
            }
            inFlight.acquire();
            long started = System.nanoTime();
            long sent = started; // latency for metrics leaves out the wait for the pacer
            long number;
            Instant departed;
            HttpResponse<String> response;
            try {
                number = pacer.acquire();
                departed = clock.instant();
                sent = System.nanoTime();
                stats.requests.increment();
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                stats.connectionErrors.increment();
                observer.attempted(settings.vendor(), ChannelObserver.TIMEOUT, Duration.ofNanos(System.nanoTime() - sent));
                lastFailure = new Exchange.GaveUp(null, "no answer within " + settings.timeout() + " (member-sync.vendors." + settings.vendor() + ".timeout)");
                attempt++;
                backOff(attempt, lastFailure);
                continue;
            } catch (IOException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                stats.connectionErrors.increment();
                observer.attempted(settings.vendor(), ChannelObserver.IO_ERROR, Duration.ofNanos(System.nanoTime() - sent));
                lastFailure = new Exchange.GaveUp(null, "connection failed: " + describe(e));
                attempt++;
                backOff(attempt, lastFailure);
                continue;
            } finally {
                inFlight.release();
            }
            long elapsed = System.nanoTime() - started;
            int status = response.statusCode();
            observer.attempted(settings.vendor(), Integer.toString(status), Duration.ofNanos(System.nanoTime() - sent));
            if (announced != null) {
                // The announced budget decides, Remaining: 0 included: a sliding window's comes back request by
                // request, not all at the reset.
                learn(response, number, departed);
            } else {
                // Decoda-style X-RateLimit-Remaining: 0: wait for the reset before the next request
                rateLimitHeaders.exhausted(response.headers()).ifPresent(wait -> pacer.pauseUntil(clock.instant().plus(wait)));
            }
            if (status == 429) {
                breaker.releasePermission();
                stats.tooManyRequests.increment();
                observer.rateLimited(settings.vendor());
                if (++rateLimited > MAX_CONSECUTIVE_429) {
                    return new Exchange.GaveUp(429, "still rate limited after " + MAX_CONSECUTIVE_429 + " waits: " + Exchange.abbreviate(response.body()));
                }
                int waits = rateLimited;
                Duration wait = rateLimitHeaders.retryAfter(response.headers()).orElseGet(() -> Duration.ofMillis(backoff.apply(waits)));
                log.debug("{}: 429, every request to this vendor waits {}", settings.vendor(), wait);
                pacer.pauseUntil(clock.instant().plus(wait));
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
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            if (status == 401 || status == 403) {
                stop("the vendor refused our credentials (HTTP " + status + "): " + authHint);
                return new Exchange.Stopped(stopped.get());
            }
            return new Exchange.Answered(status, response.body(), response.headers());
        }
    }

    /**
     * Paces by the budget the answer announces. When the vendor's first answer announces none (a 5xx may come from a
     * proxy in front of it, and does not count), {@code auto} paces at the vendor's documented limit, and says so.
     */
    private void learn(HttpResponse<String> response, long number, Instant departed) {
        Optional<RateLimitHeaders.Budget> budget = rateLimitHeaders.budget(response.headers());
        if (budget.isPresent()) {
            announced.learn(budget.get(), number, departed, response.statusCode() == 429).ifPresent(pace -> log.info(
                    "{}: rate-limit {}: the vendor announces {} requests per {} s; pacing at {}", settings.vendor(),
                    settings.rateLimit(), budget.get().limit(), pace.window().toSeconds(), pace));
            learned = true;
        } else if (!learned && response.statusCode() < 500) {
            learned = true;
            RateLimit fallback = settings.rateLimit().unannounced();
            pacer.limit(fallback);
            log.warn("{}: rate-limit {}: the vendor's answers carry no X-RateLimit-Limit/-Remaining/-Reset; pacing at {};"
                    + " set member-sync.vendors.{}.rate-limit to choose", settings.vendor(), settings.rateLimit(), fallback,
                    settings.vendor());
        }
    }

    private void backOff(int attempt, Exchange.GaveUp failure) throws InterruptedException {
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            stop(unavailable(failure));
            return;
        }
        if (attempt < settings.maxAttempts()) {
            stats.retries.increment();
            observer.retrying(settings.vendor());
            sleeper.sleep(Duration.ofMillis(backoff.apply(attempt)));
        }
    }

    private String unavailable(Exchange.GaveUp last) {
        return settings.vendor() + " looks unavailable: most recent requests failed"
                + (last == null ? "" : " (last: " + (last.status() == null ? "" : "HTTP " + last.status() + " ") + last.answer() + ")")
                + "; the remaining rows stay pending for the next run";
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
