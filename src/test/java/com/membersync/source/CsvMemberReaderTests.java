package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.opencsv.CSVReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class CsvMemberReaderTests {

    private static final RowFingerprint FINGERPRINT = new RowFingerprint("id", List.of("note", "name"), "test");

    @TempDir
    Path folder;

    @Test
    void numbersRowsByPhysicalLineAndAcceptsBomCrlfQuotesAndBlankLines() throws Exception {
        Path csv = write("\uFEFFid,note\r\n1,plain\r\n2,\"with, comma and \"\"quotes\"\"\"\r\n3,\"two\nlines\"\r\n4,  spaced  \r\n\r\n\r\n");

        List<SourceRow> rows = readAll(csv, new ExecutionContext());

        assertThat(rows).extracting(SourceRow::line).containsExactly(2L, 3L, 4L, 6L);
        assertThat(rows.get(1).value("note")).isEqualTo("with, comma and \"quotes\"");
        assertThat(rows.get(2).value("note")).isEqualTo("two\nlines");
        assertThat(rows.get(3).value("note")).isEqualTo("spaced");
        assertThat(rows.getFirst().value("id")).isEqualTo("1");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsMarkedDefective() throws Exception {
        Path csv = write("id,note\n1,a,extra\n2,b\n");

        List<SourceRow> rows = readAll(csv, new ExecutionContext());

        assertThat(rows.getFirst().defect()).contains("3 cells").contains("header has 2");
        assertThat(rows.get(1).defect()).isNull();
    }

    @Test
    void anUnclosedQuoteMakesOneDefectiveRowOfTheRestOfTheFile() throws Exception {
        Path csv = write("id,note\n1,a\n2,\"never closed\n3,c\n4,d\n");

        List<SourceRow> rows = readAll(csv, new ExecutionContext());

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(1).defect()).contains("malformed CSV").contains("quote");
    }

    @Test
    void aRestartSkipsWhatWasReadButStartsOverWhenTheFileChanged() throws Exception {
        Path csv = write("id\n1\n\"2\n2\"\n3\n");
        ExecutionContext checkpoint = new ExecutionContext();
        CsvMemberReader first = reader(csv, () -> {});
        first.open(checkpoint);
        first.next();
        first.next();
        first.update(checkpoint);
        first.close();

        List<SourceRow> rest = readAll(csv, checkpoint);
        assertThat(rest).extracting(r -> r.value("id")).containsExactly("3");
        assertThat(rest).extracting(SourceRow::line).containsExactly(5L);

        write("id\n1\n2\n3\n4\n");
        List<Boolean> changed = new ArrayList<>();
        CsvMemberReader again = reader(csv, () -> changed.add(true));
        again.open(checkpoint);
        assertThat(changed).containsExactly(true);
        assertThat(again.next()).isTrue();
        assertThat(again.row().value("id")).isEqualTo("1");
        again.close();
    }

    /**
     * The byte scan must split records and lines as opencsv does and fingerprint each record as its parsed values
     * would be: checked on a few megabytes of random cells (quotes, line breaks in quotes, CRLF, non-ASCII text,
     * spaces, blank lines, rows of the wrong width), so that records also straddle the reader's buffer.
     */
    @Test
    void theByteScanReadsWhatOpencsvReadsAndFingerprintsItsValues() throws Exception {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder("id,note,other,name\n");
        while (text.length() < 3_000_000) {
            int width = random.nextInt(40) == 0 ? 3 + random.nextInt(3) : 4;
            for (int c = 0; c < width; c++) {
                text.append(c == 0 ? "" : ",").append(cell(random));
            }
            text.append(random.nextBoolean() ? "\n" : "\r\n");
            if (random.nextInt(50) == 0) {
                text.append("\n");
            }
        }
        text.append("last,row,without,newline");
        Path csv = write(text.toString());

        List<String[]> expected = new ArrayList<>();
        List<Long> expectedLines = new ArrayList<>();
        try (CSVReader opencsv = CsvMemberReader.open(csv)) {
            opencsv.readNext();
            while (true) {
                long line = opencsv.getLinesRead() + 1;
                String[] cells = opencsv.readNext();
                if (cells == null) {
                    break;
                }
                if (cells.length != 1 || !cells[0].isBlank()) {
                    expected.add(cells);
                    expectedLines.add(line);
                }
            }
        }

        CsvMemberReader reader = reader(csv, () -> {});
        reader.open(new ExecutionContext());
        RowFingerprint parsed = new RowFingerprint("id", List.of("note", "name"), "test");
        int n = 0;
        while (reader.next()) {
            SourceRow row = reader.row();
            assertThat(reader.line()).as("record %d", n).isEqualTo(expectedLines.get(n));
            assertThat(row.cells()).as("line %d", reader.line()).isEqualTo(expected.get(n));
            if (row.defect() == null) {
                assertThat(reader.fingerprint()).as("line %d", reader.line()).isEqualTo(parsed.of(row));
                assertThat(reader.keyHash()).as("line %d", reader.line()).isEqualTo(parsed.keyOf(row));
            } else {
                assertThat(reader.keyHash()).isEqualTo(RowFingerprint.NO_KEY);
            }
            n++;
        }
        reader.close();
        assertThat(n).isEqualTo(expected.size()).isGreaterThan(10_000);
    }

    @Test
    void closingWhileTheScanIsFarAheadStopsIt() throws Exception {
        // more records than the read-ahead holds, so the scanning thread waits for room when the reader closes
        Path csv = write("id\n" + "1\n".repeat(1_500_000));
        CsvMemberReader reader = reader(csv, () -> {});
        reader.open(new ExecutionContext());
        assertThat(reader.next()).isTrue();
        Thread.sleep(300);

        assertTimeoutPreemptively(Duration.ofSeconds(10), reader::close);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("f-read-ahead");
    }

    private static String cell(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> "";
            case 1 -> "  spaced " + random.nextInt(100) + " ";
            case 2 -> "Zoë Ångström 漢字 😀";
            case 3 -> "\"with, comma " + random.nextInt(100) + "\"";
            case 4 -> "\"say \"\"hi\"\"\"";
            case 5 -> "\"two\nlines\"";
            case 6 -> "\"crlf\r\ninside\"";
            case 7 -> "\"  quoted and padded  \"";
            default -> "m" + random.nextInt(1_000_000);
        };
    }

    private CsvMemberReader reader(Path csv, Runnable onInputChanged) {
        return new CsvMemberReader("f", csv, Map.of(), FINGERPRINT, onInputChanged);
    }

    private List<SourceRow> readAll(Path csv, ExecutionContext context) {
        CsvMemberReader reader = reader(csv, () -> {});
        reader.open(context);
        List<SourceRow> rows = new ArrayList<>();
        while (reader.next()) {
            rows.add(reader.row());
        }
        reader.close();
        return rows;
    }

    private Path write(String content) throws Exception {
        Path csv = folder.resolve("in.csv");
        Files.writeString(csv, content, StandardCharsets.UTF_8);
        return csv;
    }
}
