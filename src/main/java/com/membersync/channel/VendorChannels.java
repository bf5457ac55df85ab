package com.membersync.channel;

import com.membersync.config.VendorSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The channels of one run, one per vendor, so that feeds of the same vendor share its rate limit and
 * concurrency while feeds of different vendors never wait for each other.
 */
public final class VendorChannels implements AutoCloseable {

    /** Open the breaker when half of the last 20 calls (at least 10) failed. */
    static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(10))
            .build();

    private final Clock clock;
    private final RequestPacer.Sleeper sleeper;
    private final ChannelObserver observer;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(BREAKER);
    private final Map<String, VendorChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public VendorChannels(Clock clock, RequestPacer.Sleeper sleeper) {
        this(clock, sleeper, ChannelObserver.NONE);
    }

    /** @param observer told about every channel's attempts, 429s and retries (metrics) */
    public VendorChannels(Clock clock, RequestPacer.Sleeper sleeper, ChannelObserver observer) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.observer = observer;
    }

    public VendorChannel channel(VendorSettings settings, String authHint) {
        return channels.computeIfAbsent(settings.vendor(), vendor -> new VendorChannel(settings, client(settings), clock,
                sleeper, breakers.circuitBreaker(vendor), authHint, observer));
    }

    public Map<String, VendorChannel> all() {
        return Map.copyOf(channels);
    }

    /** Stops every channel: nothing new is sent, requests in flight finish. */
    public void stopAll(String reason) {
        channels.values().forEach(channel -> channel.stop(reason));
    }

    private HttpClient client(VendorSettings settings) {
        return clients.computeIfAbsent(settings.vendor(), vendor -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
    }
}
