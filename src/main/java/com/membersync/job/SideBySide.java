package com.membersync.job;

import com.membersync.channel.ChannelStats;
import com.membersync.channel.RequestPacer;
import com.membersync.channel.VendorChannel;
import com.membersync.channel.VendorChannels;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.feed.ProgressBar;
import com.membersync.metrics.SyncMetrics;
import com.membersync.state.ConflictRetry;
import com.membersync.state.FeedLocks;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.RateBudgets;
import com.membersync.state.RunTimelines;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Works on feeds side by side, as {@code run} and {@code verify} do: each feed's lock held for the whole command,
 * one thread per feed, and one channel per account shared by its feeds (so feeds of one rate-limit group share its
 * budget, with other processes too, and feeds of different groups never wait for each other).
 */
@Component
public class SideBySide {

    /** One feed's work in run {@code runId}, on its vendor's channel. */
    @FunctionalInterface
    public interface FeedWork<R> {
        R run(FeedSpec feed, long runId, VendorChannel channel) throws Exception;
    }

    /** The run, each feed's result in the order of the feeds, and what each account's channel did. */
    public record Outcome<R>(long runId, List<R> results, Map<String, ChannelStats> accounts) {}

    private final FeedLocks locks;
    private final FeedRunRepository feedRuns;
    private final ConflictRetry retry;
    private final Clock clock;
    private final SyncMetrics metrics;
    private final JsonMapper json;
    private final RateBudgets budgets;
    private final RunTimelines timelines;
    private final ProgressBar progressBar = ProgressBar.forConsole();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private volatile VendorChannels channels;

    SideBySide(FeedLocks locks, FeedRunRepository feedRuns, ConflictRetry retry, Clock clock, SyncMetrics metrics,
            JsonMapper json, RateBudgets budgets, RunTimelines timelines) {
        this.timelines = timelines;
        this.json = json;
        this.budgets = budgets;
        this.locks = locks;
        this.feedRuns = feedRuns;
        this.retry = retry;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Takes every feed's lock (or exits 75 having done nothing), records a new run, then runs {@code work} for each
     * feed on a thread of its own and waits for all of them. The caller records how the run ended.
     */
    public <R> Outcome<R> run(List<FeedSpec> feeds, FeedWork<R> work) {
        try (FeedLocks.Held held = locks.acquire(feeds.stream().map(FeedSpec::name).toList());
                VendorChannels channels = new VendorChannels(clock, RequestPacer.Sleeper.THREAD, metrics, json,
                        budgets.ledger().orElse(null));
                // A platform thread per feed, not a virtual one: a virtual thread's first blocking read starts the
                // JDK's I/O poller, a thread parked in native code that makes every JVM exit wait 300 ms for it.
                ExecutorService perFeed = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("feed-", 1).factory())) {
            this.channels = channels;
            long runId = retry.call("the start of a run", feedRuns::createRun);
            List<Future<R>> futures = new ArrayList<>();
            for (FeedSpec feed : feeds) {
                VendorChannel channel = channels.channel(feed.settings(), feed.group(), authHint(feed));
                futures.add(perFeed.submit(() -> work.run(feed, runId, channel)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> result : futures) {
                results.add(result.get());
            }
            Map<String, ChannelStats> accounts = new TreeMap<>();
            channels.all().forEach((account, channel) -> accounts.put(account, channel.stats()));
            retry.run("the run's requests second by second", () -> timelines.save(runId, accounts.entrySet().stream()
                    .map(a -> new RunTimelines.AccountTimeline(a.getKey(), a.getValue().vendor(),
                            a.getValue().group().name(), a.getValue().timeline().seconds())).toList()));
            return new Outcome<>(runId, results, accounts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            this.channels = null;
            progressBar.clear(); // before the summary is printed
        }
    }

    /** Progress of one feed's work: log lines every few seconds, and a live bar on a terminal. */
    public Progress progress(FeedSpec feed) {
        return new Progress(feed.name(), clock, progressBar);
    }

    /**
     * Asks the work to stop: no new rows are read and no new requests start; requests in flight finish and are
     * recorded. The next command resumes.
     */
    public void requestStop() {
        if (stopRequested.compareAndSet(false, true)) {
            VendorChannels current = channels;
            if (current != null) {
                current.stopAll(FeedReport.STOPPED_ON_REQUEST);
            }
        }
    }

    public boolean stopRequested() {
        return stopRequested.get();
    }

    private static String authHint(FeedSpec feed) {
        String hint = "check " + feed.settings().setting("api-key");
        return feed.settings().tenant() != null ? hint + " and " + feed.settings().setting("tenant") : hint;
    }
}
