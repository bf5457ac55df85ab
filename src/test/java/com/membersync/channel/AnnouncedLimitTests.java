package com.membersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.channel.RateLimitHeaders.Budget;
import com.membersync.config.RateLimit;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code rate-limit: auto} against simulated vendors, in simulated time: every request answered 100 ms after it left,
 * as many in flight as the pace allows. The vendors differ in how they count (a sliding or a fixed window) and in
 * what their {@code X-RateLimit-Reset} means, which Decoda does not document.
 */
class AnnouncedLimitTests {

    private static final Duration LATENCY = Duration.ofMillis(100);

    /** What {@code X-RateLimit-Reset} says, as read by {@link RateLimitHeaders}. */
    enum Reset {
        /** The window's length, always. */
        WINDOW,
        /** Until the oldest counted request leaves the window, to the millisecond. */
        UNTIL_A_PERMIT_FREES,
        /** That moment as whole epoch seconds (rounded up): read as "until then", it jumps around within a second. */
        EPOCH_SECONDS
    }

    /** A vendor that counts accepted requests over a sliding window (or a fixed one) and announces its budget. */
    static final class Vendor {
        final Deque<Instant> accepted = new ArrayDeque<>();
        final List<Instant> acceptedAt = new ArrayList<>();
        final List<Instant> rejectedAt = new ArrayList<>();
        int limit;
        final Duration window;
        final boolean fixedWindow;
        final Reset reset;
        Instant windowStart;
        int usedByOthers;
        int rejected;

        Vendor(int limit, Duration window, boolean fixedWindow, Reset reset) {
            this.limit = limit;
            this.window = window;
            this.fixedWindow = fixedWindow;
            this.reset = reset;
        }

        /** The headers of the answer to a request arriving {@code now}; counts a 429 when over the limit. */
        HttpHeaders admit(Instant now) {
            if (fixedWindow) {
                if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
                    windowStart = windowStart == null ? now : windowStart.plus(window);
                    accepted.clear();
                    for (int i = 0; i < usedByOthers; i++) {
                        accepted.add(now);
                    }
                    usedByOthers = 0;
                }
            } else {
                while (!accepted.isEmpty() && !accepted.peekFirst().plus(window).isAfter(now)) {
                    accepted.pollFirst();
                }
            }
            if (accepted.size() >= limit) {
                rejected++;
                rejectedAt.add(now);
            } else {
                accepted.addLast(now);
                acceptedAt.add(now);
            }
            Instant resetAt = fixedWindow ? windowStart.plus(window) : accepted.peekFirst().plus(window);
            String until = switch (reset) {
                case WINDOW -> Long.toString(window.toSeconds());
                case UNTIL_A_PERMIT_FREES -> String.format(Locale.ROOT, "%.3f", Duration.between(now, resetAt).toNanos() / 1e9);
                case EPOCH_SECONDS -> Long.toString(resetAt.getEpochSecond() + 1);
            };
            return HttpHeaders.of(Map.of("X-RateLimit-Limit", List.of(Integer.toString(limit)),
                    "X-RateLimit-Remaining", List.of(Integer.toString(Math.max(0, limit - accepted.size()))),
                    "X-RateLimit-Reset", List.of(until)), (name, value) -> true);
        }

        long rejectedAfter(Instant from) {
            return rejectedAt.stream().filter(t -> !t.isBefore(from)).count();
        }

        /** Accepted requests per second between {@code from} and {@code to}. */
        double rate(Instant from, Instant to) {
            long n = acceptedAt.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
            return n / (Duration.between(from, to).toNanos() / 1e9);
        }
    }

    /**
     * Sends for {@code duration} as fast as auto allows; each request reaches the vendor after {@link #transit} and is
     * answered {@link #LATENCY} later, as many in flight as the pace allows.
     */
    static final class Simulation {
        record Arrival(Instant at, long number, Instant departed) {}

        record Answer(Instant at, long number, Instant departed, HttpHeaders headers, boolean refused) {}

        final FakeTime time = new FakeTime();
        final RateLimitHeaders headers = new RateLimitHeaders(time);
        final PriorityQueue<Arrival> arrivals = new PriorityQueue<>(Comparator.comparing(Arrival::at));
        final PriorityQueue<Answer> answers = new PriorityQueue<>(Comparator.comparing(Answer::at));
        final RequestPacer pacer = new RequestPacer(new RateLimit(1, Duration.ofSeconds(1)), time, this::sleep);
        final AnnouncedLimit auto;
        final Vendor vendor;
        LongFunction<Duration> transit = number -> Duration.ZERO;

        Simulation(Vendor vendor, Optional<RateLimit> ceiling) {
            this.vendor = vendor;
            this.auto = new AnnouncedLimit(ceiling, pacer);
        }

        Instant start() {
            return FakeTime.START;
        }

        void run(Duration duration, Runnable atHalfTime) throws InterruptedException {
            Instant end = time.instant().plus(duration);
            Instant half = time.instant().plus(duration.dividedBy(2));
            boolean halfDone = false;
            while (time.instant().isBefore(end)) {
                if (!halfDone && !time.instant().isBefore(half)) {
                    atHalfTime.run();
                    halfDone = true;
                }
                long number = pacer.acquire();
                Instant departed = time.instant();
                arrivals.add(new Arrival(departed.plus(transit.apply(number)), number, departed));
            }
        }

        /** Lets time pass, the vendor admitting arrivals and the answers arriving in order meanwhile. */
        private void sleep(Duration d) {
            Instant until = time.instant().plus(d);
            while (true) {
                Arrival arrival = arrivals.peek();
                Answer answer = answers.peek();
                boolean arrivalFirst = arrival != null && (answer == null || arrival.at().isBefore(answer.at()));
                Instant next = arrivalFirst ? arrival.at() : answer == null ? null : answer.at();
                if (next == null || next.isAfter(until)) {
                    break;
                }
                time.now = latest(time.now, next);
                if (arrivalFirst) {
                    arrivals.poll();
                    int refusedBefore = vendor.rejected;
                    HttpHeaders announced = vendor.admit(arrival.at());
                    answers.add(new Answer(arrival.at().plus(LATENCY), arrival.number(), arrival.departed(), announced,
                            vendor.rejected > refusedBefore));
                } else {
                    answers.poll();
                    // read when the answer arrives, as the channel reads it
                    Budget budget = headers.budget(answer.headers()).orElseThrow();
                    auto.learn(budget, answer.number(), answer.departed(), answer.refused());
                }
            }
            time.now = latest(time.now, until);
        }

        private static Instant latest(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }

    @Test
    void fillsASlidingWindowWithoutExceedingItWhateverTheResetMeans() throws Exception {
        for (Reset reset : Reset.values()) {
            Vendor vendor = new Vendor(40, Duration.ofSeconds(1), false, reset);
            Simulation sim = new Simulation(vendor, Optional.empty());

            sim.run(Duration.ofSeconds(60), () -> {});

            assertThat(vendor.rejected).as(reset.name()).isZero();
            assertThat(vendor.rate(sim.start().plusSeconds(2), sim.start().plusSeconds(60)) / 40).as(reset.name())
                    .isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void followsALimitTheVendorLowersMidRun() throws Exception {
        Vendor vendor = new Vendor(40, Duration.ofSeconds(1), false, Reset.WINDOW);
        Simulation sim = new Simulation(vendor, Optional.empty());

        sim.run(Duration.ofSeconds(60), () -> vendor.limit = 20);

        // the vendor's window still holds the last second's 40 when it lowers the limit: only those few are refused
        int rejectedAtTheChange = vendor.rejected;
        assertThat(rejectedAtTheChange).isLessThanOrEqualTo(10);
        double after = vendor.rate(sim.start().plusSeconds(32), sim.start().plusSeconds(60));
        assertThat(after).isLessThanOrEqualTo(20).isGreaterThanOrEqualTo(0.95 * 20);
    }

    @Test
    void spreadsWhatIsLeftOfAFixedWindowSomeoneElseUsedUntilItsReset() throws Exception {
        // another client already used 50 of this minute's 60 when the run starts
        Vendor vendor = new Vendor(60, Duration.ofMinutes(1), true, Reset.UNTIL_A_PERMIT_FREES);
        vendor.usedByOthers = 50;
        Simulation sim = new Simulation(vendor, Optional.empty());

        sim.run(Duration.ofMinutes(3), () -> {});

        assertThat(vendor.rejected).isZero();
        List<Instant> firstMinute = vendor.acceptedAt.stream().filter(t -> t.isBefore(sim.start().plusSeconds(60))).toList();
        assertThat(firstMinute).hasSizeLessThanOrEqualTo(10);
        assertThat(firstMinute.getLast()).as("spread over the minute, not sent at once")
                .isAfter(sim.start().plusSeconds(40));
        assertThat(vendor.rate(sim.start().plusSeconds(60), sim.start().plusSeconds(180)) * 60).isGreaterThanOrEqualTo(0.95 * 60);
    }

    @Test
    void neverPacesFasterThanTheOperatorsCeiling() throws Exception {
        Vendor vendor = new Vendor(40, Duration.ofSeconds(1), false, Reset.WINDOW);
        Simulation sim = new Simulation(vendor, Optional.of(RateLimit.parse("10/s")));

        sim.run(Duration.ofSeconds(30), () -> {});

        double rate = vendor.rate(sim.start().plusSeconds(2), sim.start().plusSeconds(30));
        assertThat(rate).isLessThanOrEqualTo(10).isGreaterThanOrEqualTo(9.5);
    }

    @Test
    void aVendorThatCountsOurRequestsCloserTogetherThanWeSentThemSlowsThePaceALittle() throws Exception {
        // requests reach this vendor 0 to 60 ms after they left (a busy machine), so it sees bunches we did not send
        Vendor vendor = new Vendor(40, Duration.ofSeconds(1), false, Reset.WINDOW);
        Simulation sim = new Simulation(vendor, Optional.empty());
        Random random = new Random(42);
        sim.transit = number -> Duration.ofMillis(random.nextInt(60));

        sim.run(Duration.ofSeconds(60), () -> {});

        int early = vendor.rejected;
        assertThat(early).as("some refused at first").isPositive();
        assertThat(vendor.rejectedAfter(sim.start().plusSeconds(30))).as("none once the pace widened").isZero();
        assertThat(vendor.rate(sim.start().plusSeconds(2), sim.start().plusSeconds(60)) / 40).isGreaterThanOrEqualTo(0.85);
    }
}
