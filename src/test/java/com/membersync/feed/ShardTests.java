package com.membersync.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTests {

    static final List<String> FEEDS = List.of("mayar-kids", "clinic-south", "brand-a", "clinic-uptown", "brand-b",
            "mayar-main", "brand-c");

    @Test
    void everyFeedBelongsToExactlyOneShardAndTheShardsDifferByAtMostOne() {
        for (int count = 1; count <= 9; count++) {
            List<String> dealt = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                List<String> shard = new Shard(index, count).of(FEEDS);
                assertThat(shard.size()).isBetween(FEEDS.size() / count, FEEDS.size() / count + 1);
                dealt.addAll(shard);
            }
            assertThat(dealt).as("%d shards", count).containsExactlyInAnyOrderElementsOf(FEEDS);
        }
    }

    @Test
    void oneConfigurationIsAlwaysDealtAlikeWhateverOrderItListsItsFeedsIn() {
        List<String> reversed = new ArrayList<>(FEEDS).reversed();

        assertThat(new Shard(1, 3).of(reversed)).isEqualTo(new Shard(1, 3).of(FEEDS))
                .containsExactly("brand-b", "clinic-uptown");
    }

    @Test
    void aShardIsWrittenIOfNWithIFromZeroBelowN() {
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
        assertThat(Shard.parse(" 0 / 1 ")).hasToString("0/1");
        for (String wrong : List.of("3/3", "-1/3", "1/0", "1", "a/b", "1/3/4", "99999999999/3")) {
            assertThatThrownBy(() -> Shard.parse(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0 <= I < N");
        }
    }
}
