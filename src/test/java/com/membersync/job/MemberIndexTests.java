package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MemberIndexTests {

    @Test
    void theIndexKeepsEveryMembersFingerprintAndFirstLineAcrossGrowth() {
        MemberIndex index = new MemberIndex(16);
        Random random = new Random(42);
        long[] keys = random.longs(200_000).toArray();
        for (int i = 0; i < keys.length; i++) {
            index.fingerprint(index.slot(keys[i]), i + 1);
        }
        index.firstLine(index.slot(keys[7]), 9);

        assertThat(index.size()).isEqualTo(keys.length);
        for (int i = 0; i < keys.length; i++) {
            assertThat(index.fingerprint(index.slot(keys[i]))).isEqualTo(i + 1);
        }
        assertThat(index.firstLine(index.slot(keys[7]))).isEqualTo(9);
        assertThat(index.fingerprint(index.slot(12345L))).as("a new member").isEqualTo(MemberIndex.UNKNOWN);
        assertThat(index.size()).isEqualTo(keys.length + 1);
    }
}
