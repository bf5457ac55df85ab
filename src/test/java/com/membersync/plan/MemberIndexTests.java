package com.membersync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MemberIndexTests {

    @Test
    void theIndexKeepsEveryMembersFingerprintAcrossGrowthWhetherSetOrLoaded() {
        MemberIndex index = new MemberIndex(16);
        Random random = new Random(42);
        long[] keys = random.longs(200_000).toArray();
        for (int i = 0; i < 100_000; i++) {
            index.fingerprint(index.slot(keys[i]), i + 1);
        }
        for (int i = 100_000; i < keys.length; i++) {
            index.load(keys[i], i + 1, true);
        }
        index.loaded();

        assertThat(index.size()).isEqualTo(keys.length);
        for (int i = 0; i < keys.length; i++) {
            assertThat(index.fingerprint(index.slot(keys[i]))).isEqualTo(i + 1);
        }
        assertThat(index.fingerprint(index.slot(12345L))).as("a new member").isEqualTo(MemberIndex.UNKNOWN);
        assertThat(index.size()).isEqualTo(keys.length + 1);
    }

    @Test
    void seeingAMemberReturnsItsFingerprintAndRemembersTheLineAcrossGrowth() {
        MemberIndex index = new MemberIndex(16);
        index.fingerprint(index.slot(7L), 99);

        assertThat(index.firstLine(index.slot(7L))).isZero();
        assertThat(index.see(index.slot(7L), 12)).isEqualTo(99);
        for (long key = 100; key < 10_000; key++) {
            index.slot(key);
        }

        assertThat(index.firstLine(index.slot(7L))).isEqualTo(12);
        assertThat(index.firstLine(index.slot(100L))).isZero();
    }

    @Test
    void activeMembersTheInputNeverNamedAreAbsentAcrossGrowthAndDeactivatedOnesAreNot() {
        MemberIndex index = new MemberIndex(16);
        for (long key = 1; key <= 1_000; key++) {
            index.load(key, key, key != 3); // member 3 was deactivated by an earlier run
        }
        index.loaded();
        for (long key = 1; key <= 1_000; key++) {
            if (key % 10 != 0) {
                index.see(index.slot(key), key);
            }
        }
        for (long key = 5_000; key < 50_000; key++) {
            index.see(index.slot(key), key); // new members in the input
        }

        assertThat(index.absent()).isEqualTo(100);
        assertThat(index.absent(10L)).isTrue();
        assertThat(index.absent(11L)).isFalse();
        assertThat(index.absent(3L)).as("deactivated already").isFalse();
        assertThat(index.absent(5_000L)).as("not synced before").isFalse();
        assertThat(index.absent(999_999L)).as("unknown").isFalse();
    }
}
