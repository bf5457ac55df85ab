package com.membersync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.ChangeLimit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MassChangeGuardTests {

    private final MassChangeGuard guard = new MassChangeGuard("members", ChangeLimit.parse("50%"), ChangeLimit.parse("10%"));
    private final AtomicInteger counted = new AtomicInteger();

    @Test
    void aPlanWithinBothLimitsGoesThrough() {
        assertThat(guard.stops(new MassChangeGuard.Plan(1000, 100, 500), () -> 1000, () -> true)).isEmpty();
    }

    @Test
    void moreChangesThanMaxChangesOfTheMembersAlreadySyncedStopIt() {
        assertThat(guard.stops(new MassChangeGuard.Plan(1000, 0, 501), () -> 1000, () -> true)).hasValueSatisfying(
                why -> assertThat(why).startsWith("501 changes planned for 1000 members already synced, more than"
                        + " max-changes 50% (500)").contains("member-sync.feeds.members.max-changes"));
    }

    @Test
    void moreRejectedRowsThanMaxRejectedStopItWhateverIsPlanned() {
        assertThat(guard.stops(new MassChangeGuard.Plan(1000, 101, 0), this::count, () -> true)).hasValueSatisfying(
                why -> assertThat(why).startsWith("101 of 1000 rows were rejected, more than max-rejected 10%"));
    }

    @Test
    void aFirstSyncIsExemptUntilItHasCompletedOnce() {
        MassChangeGuard.Plan everything = new MassChangeGuard.Plan(1000, 0, 1000);

        assertThat(guard.stops(everything, () -> 0, () -> false)).as("nothing synced yet").isEmpty();
        assertThat(guard.stops(everything, () -> 400, () -> false)).as("partly delivered, never completed").isEmpty();
        assertThat(guard.stops(everything, () -> 400, () -> true)).as("completed once").isPresent();
    }

    @Test
    void aQuietNightDoesNotCountTheMembers() {
        assertThat(guard.stops(new MassChangeGuard.Plan(1_000_000, 0, 0), this::count, () -> true)).isEmpty();
        assertThat(counted).hasValue(0);
    }

    private long count() {
        counted.incrementAndGet();
        return 1_000_000;
    }
}
