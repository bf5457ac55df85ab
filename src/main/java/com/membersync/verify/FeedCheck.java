package com.membersync.verify;

import com.membersync.channel.VendorChannel;
import com.membersync.connector.LivePage;
import com.membersync.connector.LiveRead;
import com.membersync.connector.VendorClient;
import com.membersync.connector.VendorDefinition;
import com.membersync.feed.FeedReport;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.Progress;
import com.membersync.state.CheckResult;
import com.membersync.state.VerifyRepository.Checked;
import com.membersync.state.VerifyRepository.Member;
import com.membersync.state.VerifyRepository.Position;
import com.membersync.state.VerifyRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks one feed's members against their vendor's live records. Where the vendor lists its members, a whole list
 * is read when that costs fewer requests than reading the pending members one at a time (a Mayar list holds 50 a
 * page, at 20 requests a minute). Every result is committed with the list position it came from, so a check that
 * is killed resumes where it stopped.
 */
final class FeedCheck {

    private static final Logger log = LoggerFactory.getLogger(FeedCheck.class);
    /** Members read one at a time per commit: a killed verify reads at most this many again. */
    private static final int BATCH = 50;

    private final FeedSpec feed;
    private final long verifyId;
    private final VerifyRepository verifies;
    private final VendorClient client;
    private final VendorChannel channel;
    private final BooleanSupplier stopRequested;
    private final Progress progress;
    private final Supplier<List<String>> inputFields;
    private final Set<String> notVerifiable = Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile List<String> fallbackManaged;
    private volatile String stoppedBecause;

    /** @param inputFields the fields the feed's input has columns for, for members with no record of theirs */
    FeedCheck(FeedSpec feed, long verifyId, VerifyRepository verifies, VendorClient client, VendorChannel channel,
            BooleanSupplier stopRequested, Progress progress, Supplier<List<String>> inputFields) {
        this.feed = feed;
        this.verifyId = verifyId;
        this.verifies = verifies;
        this.client = client;
        this.channel = channel;
        this.stopRequested = stopRequested;
        this.progress = progress;
        this.inputFields = inputFields;
    }

    /** The managed fields the vendor does not return, as met while checking. */
    Set<String> notVerifiable() {
        return Set.copyOf(notVerifiable);
    }

    /** Checks every pending member. Returns why the check could not finish, or empty when it did. */
    Optional<String> run(double sampled) throws InterruptedException {
        Map<String, Long> pending = verifies.pendingByScope(verifyId);
        Map<String, Long> members = verifies.membersByScope(verifyId);
        List<String> lists = new ArrayList<>();
        long requests = 0;
        long total = 0;
        for (Map.Entry<String, Long> scope : pending.entrySet()) {
            total += scope.getValue();
            long pages = scope.getKey() == null ? Long.MAX_VALUE
                    : (long) Math.ceil(members.get(scope.getKey()) / sampled / client.pageSize());
            boolean started = scope.getKey() != null && verifies.position(verifyId, scope.getKey()).isPresent();
            if (started || pages < scope.getValue()) {
                lists.add(scope.getKey());
                requests += pages;
            } else {
                requests += scope.getValue();
            }
        }
        log.info("{}: {} members to check, about {} requests to {} at {}: {}{}", feed.name(), total, requests,
                feed.vendor().name(), feed.settings().rateLimit(), duration(requests),
                requests > 10_000 ? " (verify --sample checks fewer)" : "");
        progress.begin(total, Progress.Work.CHECKING);
        for (String scope : lists) {
            Optional<String> failed = readList(scope);
            if (failed.isPresent()) {
                return failed;
            }
        }
        return readOneByOne(); // what no list covered, and what a list did not hold (to tell "not found")
    }

    /** Pages through one list from where it stands, checking the pending members each page holds. */
    private Optional<String> readList(String scope) throws InterruptedException {
        Position position = verifies.position(verifyId, scope).orElse(new Position(scope, null, false));
        while (!position.done()) {
            if (stopRequested.getAsBoolean()) {
                return Optional.of(FeedReport.STOPPED_ON_REQUEST);
            }
            switch (client.page(scope, position.next())) {
                case LivePage.Stopped stopped -> {
                    return Optional.of(stopped.reason());
                }
                case LivePage.Unreadable unreadable -> {
                    return Optional.of("could not read " + feed.vendor().name() + "'s list of members: "
                            + (unreadable.status() == null ? "" : "HTTP " + unreadable.status() + " ") + unreadable.reason());
                }
                case LivePage.Page page -> {
                    List<Checked> checked = new ArrayList<>();
                    for (Member member : verifies.pendingAmong(verifyId, feed.name(), page.members().keySet())) {
                        checked.add(check(member, new LiveRead.Found(page.members().get(member.key()))));
                    }
                    position = new Position(scope, page.next(), page.next() == null);
                    verifies.record(verifyId, checked, position);
                    progress.delivered(checked.size());
                }
            }
        }
        return Optional.empty();
    }

    /** Reads the pending members one at a time, up to {@code max-concurrency} at once, committing every batch. */
    private Optional<String> readOneByOne() throws InterruptedException {
        Semaphore slots = new Semaphore(feed.settings().maxConcurrency());
        long unreadable = 0;
        String lastReason = null;
        String after = "";
        try (ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor()) {
            while (true) {
                List<Member> batch = verifies.pending(verifyId, feed.name(), after, BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                if (stopRequested.getAsBoolean()) {
                    return Optional.of(FeedReport.STOPPED_ON_REQUEST);
                }
                Map<Member, Future<LiveRead>> answers = new LinkedHashMap<>();
                for (Member member : batch) {
                    slots.acquire();
                    answers.put(member, reads.submit(() -> {
                        try {
                            return client.read(member.key(), member.synced());
                        } finally {
                            slots.release();
                        }
                    }));
                }
                List<Checked> checked = new ArrayList<>();
                for (Map.Entry<Member, Future<LiveRead>> answer : answers.entrySet()) {
                    LiveRead read = result(answer.getValue());
                    switch (read) {
                        case LiveRead.Stopped stopped -> stoppedBecause = stopped.reason();
                        case LiveRead.Unreadable failed -> {
                            unreadable++; // stays pending: the next verify tries it again
                            lastReason = (failed.status() == null ? "" : "HTTP " + failed.status() + " ") + failed.reason();
                        }
                        default -> checked.add(check(answer.getKey(), read));
                    }
                }
                verifies.record(verifyId, checked, null);
                progress.delivered(checked.size());
                if (stoppedBecause != null) {
                    return Optional.of(stoppedBecause);
                }
                after = batch.getLast().key();
            }
        }
        if (unreadable > 0) {
            return Optional.of(unreadable + " members could not be read (last: " + lastReason
                    + "); verify again to check them");
        }
        return channel.stopReason();
    }

    private static LiveRead result(Future<LiveRead> answer) throws InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            return new LiveRead.Unreadable(null, String.valueOf(e.getCause()));
        }
    }

    /**
     * Compares the managed fields of a member's synced state with its live record. A field the vendor never returns
     * is not verifiable, never drift; a field with no synced value was never sent, so nothing is expected of it.
     */
    Checked check(Member member, LiveRead read) {
        if (!(read instanceof LiveRead.Found found)) {
            return new Checked(member.key(), CheckResult.NOT_FOUND, null);
        }
        VendorDefinition vendor = feed.vendor();
        ArrayNode drift = JsonNodeFactory.instance.arrayNode();
        for (String field : managed(member)) {
            JsonNode synced = member.synced().get(field);
            if (field.equals(vendor.keyField()) || synced == null || synced.isNull()) {
                continue;
            }
            if (vendor.unreadable().contains(field)) {
                notVerifiable.add(field);
                continue;
            }
            JsonNode live = found.state().get(field);
            if (!vendor.holds(field, synced, live)) {
                ObjectNode entry = drift.addObject();
                entry.put("field", field);
                entry.set("synced", synced);
                entry.set("vendor", live == null ? JsonNodeFactory.instance.nullNode() : live);
            }
        }
        return new Checked(member.key(), drift.isEmpty() ? CheckResult.IN_STEP : CheckResult.DRIFTED,
                drift.isEmpty() ? null : drift);
    }

    private List<String> managed(Member member) {
        if (member.managed() != null) {
            return member.managed();
        }
        List<String> fallback = fallbackManaged;
        if (fallback == null) {
            fallback = inputFields.get();
            fallbackManaged = fallback;
        }
        return fallback;
    }

    /** How long {@code requests} take at the vendor's rate limit, e.g. {@code about 27.8 h}. */
    private String duration(long requests) {
        // Under auto: at the limit used when the vendor announces none; what it announces is often more.
        double seconds = requests / feed.settings().rateLimit().unannounced().perSecond();
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return d.toHours() >= 1 ? String.format(Locale.ROOT, "about %.1f h", seconds / 3600)
                : d.toMinutes() >= 1 ? String.format(Locale.ROOT, "about %.1f min", seconds / 60)
                : String.format(Locale.ROOT, "about %.0f s", Math.ceil(seconds));
    }
}
