package com.membersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPacerTests {

    @Test
    void noSlidingWindowEverSeesMoreThanTheLimit() throws Exception {
        for (String limit : List.of("50/s", "20/min", "1/s", "7/s")) {
            FakeTime time = new FakeTime();
            RateLimit rate = RateLimit.parse(limit);
            RequestPacer pacer = new RequestPacer(rate, time, time::sleep);
            List<Instant> grants = new ArrayList<>();
            for (int i = 0; i < rate.permits() * 5; i++) {
                pacer.acquire();
                grants.add(time.instant());
            }

            // any N+1 consecutive grants span at least the window, so a window never holds N+1
            for (int i = rate.permits(); i < grants.size(); i++) {
                assertThat(Duration.between(grants.get(i - rate.permits()), grants.get(i)))
                        .as(limit).isGreaterThanOrEqualTo(rate.window());
            }
            // and the pacer still fills at least 95 % of the allowed rate
            Duration span = Duration.between(grants.getFirst(), grants.getLast());
            double achieved = (grants.size() - 1) / (span.toNanos() / 1e9);
            assertThat(achieved / rate.perSecond()).as(limit).isGreaterThan(0.95);
        }
    }

    @Test
    void pacersOfSeveralProcessesSharingALedgerNeverTogetherExceedTheLimit() throws Exception {
        FakeTime time = new FakeTime();
        SharedLedger ledger = new SharedLedger(time);
        RateLimit rate = RateLimit.parse("5/s");
        List<RequestPacer> processes = List.of(new RequestPacer(rate, time, time::sleep, ledger, "mayar"),
                new RequestPacer(rate, time, time::sleep, ledger, "mayar"),
                new RequestPacer(rate, time, time::sleep, ledger, "mayar"));
        List<Instant> grants = new ArrayList<>();
        for (int i = 0; i < rate.permits() * 12; i++) {
            processes.get(i % 3 == 0 ? 0 : i % 2 + 1).acquire();
            grants.add(time.instant());
        }

        for (int i = rate.permits(); i < grants.size(); i++) {
            assertThat(Duration.between(grants.get(i - rate.permits()), grants.get(i))).isGreaterThanOrEqualTo(rate.window());
        }
        double achieved = (grants.size() - 1) / (Duration.between(grants.getFirst(), grants.getLast()).toNanos() / 1e9);
        assertThat(achieved / rate.perSecond()).isGreaterThan(0.95);
    }

    @Test
    void aPauseInOneProcessDelaysTheOthersOfItsGroup() throws Exception {
        FakeTime time = new FakeTime();
        SharedLedger ledger = new SharedLedger(time);
        RequestPacer one = new RequestPacer(RateLimit.parse("10/s"), time, time::sleep, ledger, "g");
        RequestPacer other = new RequestPacer(RateLimit.parse("10/s"), time, time::sleep, ledger, "g");
        one.acquire();
        Instant resumeAt = time.instant().plusSeconds(30);

        one.pauseUntil(resumeAt);
        other.acquire();

        assertThat(time.instant()).isAfterOrEqualTo(resumeAt);
    }

    @Test
    void anAccountsFirstRequestLeavesAGapAfterItsSlotForOtherProcesses() throws Exception {
        FakeTime time = new FakeTime();
        SharedLedger ledger = new SharedLedger(time);
        RequestPacer cold = new RequestPacer(RateLimit.parse("20/s"), time, time::sleep, ledger, "g");
        RequestPacer warm = new RequestPacer(RateLimit.parse("20/s"), time, time::sleep, ledger, "g");
        cold.acquire(true);
        Instant first = time.instant();

        warm.acquire();

        // however late the first request reaches the vendor, up to the gap, a window later there is room for it
        assertThat(Duration.between(first, time.instant()))
                .isGreaterThanOrEqualTo(cold.interval().plus(RequestPacer.COLD_GAP));
    }

    /** The state store's ledger in miniature: the last slot and the earliest next one, on the one clock. */
    static final class SharedLedger implements SlotLedger {
        private final FakeTime time;
        private Instant last = Instant.MIN.plusSeconds(1);
        private Instant notBefore = Instant.MIN;

        SharedLedger(FakeTime time) {
            this.time = time;
        }

        @Override
        public Instant reserve(String group, Duration interval, int count, Instant earliest, Duration gap) {
            Instant first = latest(latest(last.plus(interval), notBefore), latest(earliest, time.instant()));
            last = first.plus(interval.multipliedBy(count - 1)).plus(gap);
            return first;
        }

        @Override
        public void pauseUntil(String group, Instant until) {
            notBefore = latest(notBefore, until);
        }

        private static Instant latest(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }

    @Test
    void aPauseDelaysEveryLaterSlot() throws Exception {
        FakeTime time = new FakeTime();
        RequestPacer pacer = new RequestPacer(RateLimit.parse("10/s"), time, time::sleep);
        pacer.acquire();
        Instant resumeAt = time.instant().plusSeconds(30);

        pacer.pauseUntil(resumeAt);
        pacer.acquire();

        assertThat(time.instant()).isEqualTo(resumeAt);
    }
}
