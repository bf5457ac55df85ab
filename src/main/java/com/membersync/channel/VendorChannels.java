package com.membersync.channel;

import com.membersync.config.AccountSettings;
import com.membersync.config.RateGroup;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The channels of one run, one per account, so that feeds of the same account share its concurrency and breaker,
 * feeds of one rate-limit group share its budget (one {@link GroupPace} per group), and feeds of different groups never
 * wait for each other.
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
    private final JsonMapper json;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(BREAKER);
    private final Map<String, VendorChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, GroupPace> paces = new ConcurrentHashMap<>();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final SlotLedger ledger;

    /**
     * @param observer told about every channel's attempts, 429s and retries (metrics)
     * @param json     reads the vendors' answers
     * @param ledger   the rate-limit groups' slots shared with other processes; null where nothing is shared
     */
    public VendorChannels(Clock clock, RequestPacer.Sleeper sleeper, ChannelObserver observer, JsonMapper json,
            SlotLedger ledger) {
        this.ledger = ledger;
        this.clock = clock;
        this.sleeper = sleeper;
        this.observer = observer;
        this.json = json;
    }

    /** The account's channel, drawing on the budget of {@code group}. */
    public VendorChannel channel(AccountSettings settings, RateGroup group, String authHint) {
        return channels.computeIfAbsent(settings.account(), account -> new VendorChannel(settings,
                paces.computeIfAbsent(group.name(), name -> new GroupPace(group, clock, sleeper, ledger)),
                client(settings), clock, sleeper, breakers.circuitBreaker(account), authHint, observer, json));
    }

    public Map<String, VendorChannel> all() {
        return Map.copyOf(channels);
    }

    /** Stops every channel: nothing new is sent, requests in flight finish. */
    public void stopAll(String reason) {
        channels.values().forEach(channel -> channel.stop(reason));
    }

    private HttpClient client(AccountSettings settings) {
        return clients.computeIfAbsent(settings.account(), account -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        paces.values().forEach(GroupPace::close);
    }
}
