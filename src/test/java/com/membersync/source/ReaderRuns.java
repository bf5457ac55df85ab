package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** A query feed read straight through {@link QueryMemberReader}, as the plan step reads it, stopped and resumed. */
final class ReaderRuns {

    private static final String KEY = "program_membership_id";

    private ReaderRuns() {}

    /**
     * Reads {@code query} (its key column labelled program_membership_id) in pages of {@code pageSize}: once
     * through, then interrupted after each row in turn and resumed from the saved checkpoint. Each time the keys
     * handed out are exactly {@code expected} (a NULL key as "-"), numbered on from where the first run stopped,
     * and the rows the resumed reader says came {@linkplain QueryMemberReader#earlier() before it} name exactly the
     * keys the first run handed out.
     */
    static void readsEveryRowOnceWhereverInterrupted(SourceDatabase database, String query, int pageSize,
            List<String> expected) {
        assertThat(readAll(database.reader("q", query, Map.of(), KEY, pageSize), new ExecutionContext(), 0))
                .isEqualTo(expected);
        for (int stopAfter = 1; stopAfter < expected.size(); stopAfter++) {
            var context = new ExecutionContext();
            List<String> first = readAll(database.reader("q", query, Map.of(), KEY, pageSize), context, stopAfter);
            QueryMemberReader resumed = database.reader("q", query, Map.of(), KEY, pageSize);
            resumed.open(context);
            List<String> earlier = readAll(resumed.earlier(), new ExecutionContext(), 0);
            List<String> rest = read(resumed, context, 0);
            assertThat(first).hasSize(stopAfter);
            assertThat(earlier.stream().distinct()).as("the keys named before a resume after %d rows", stopAfter)
                    .containsExactlyElementsOf(first.stream().filter(key -> !key.equals("-")).distinct().toList());
            List<String> both = new ArrayList<>(first);
            both.addAll(rest);
            assertThat(both).as("interrupted after %d rows", stopAfter).isEqualTo(expected);
        }
    }

    /** Opens the reader at {@code context}, then {@link #read}s. */
    private static List<String> readAll(QueryMemberReader reader, ExecutionContext context, int limit) {
        reader.open(context);
        return read(reader, context, limit);
    }

    /** Reads up to {@code limit} rows (0: all), checking each row's line, then saves the checkpoint. */
    private static List<String> read(QueryMemberReader reader, ExecutionContext context, int limit) {
        long line = context.getLong(QueryMemberReader.ROWS, 0L);
        List<String> keys = new ArrayList<>();
        SourceRow row;
        while ((limit == 0 || keys.size() < limit) && (row = reader.read()) != null) {
            assertThat(row.line()).isEqualTo(++line);
            // raw, not trimmed: 'a' and 'a ' are two rows here (planning then rejects the second as a duplicate)
            String key = row.cells()[row.layout().index(KEY)];
            keys.add(key == null ? "-" : key);
        }
        reader.update(context);
        reader.close();
        return keys;
    }
}
