package com.membersync.feed;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Shard {@code index} of {@code count}: the feeds one process of several runs ({@code run --shard I/N}, e.g. the pods
 * of a Kubernetes Indexed Job). The feeds are dealt in the order of their names, one to each shard in turn: every feed
 * belongs to exactly one shard, the shards differ by at most one feed, and one configuration always deals them alike.
 */
public record Shard(int index, int count) {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist: write I/N with"
                    + " 0 <= I < N, e.g. 0/3, 1/3 and 2/3 for three shards");
        }
    }

    /** {@code I/N}, as {@code --shard} takes it. */
    public static Shard parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a shard; write I/N with 0 <= I < N, e.g. 0/3");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("'" + text + "' is not a shard; write I/N with 0 <= I < N, e.g. 0/3");
        }
    }

    /** Of all the configured feeds, those of this shard, in the order of their names. */
    public List<String> of(Collection<String> feeds) {
        List<String> sorted = feeds.stream().sorted().toList();
        return IntStream.range(0, sorted.size()).filter(i -> i % count == index).mapToObj(sorted::get)
                .toList();
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
