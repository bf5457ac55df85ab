package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class CsvMemberReaderTests {

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
    void aRestartSkipsWhatWasReadButStartsOverWhenTheFileChanged() throws Exception {
        Path csv = write("id\n1\n2\n3\n");
        ExecutionContext checkpoint = new ExecutionContext();
        CsvMemberReader first = new CsvMemberReader("f", csv, Map.of(), () -> {});
        first.open(checkpoint);
        first.read();
        first.update(checkpoint);
        first.close();

        assertThat(readAll(csv, checkpoint)).extracting(r -> r.value("id")).containsExactly("2", "3");

        write("id\n1\n2\n3\n4\n");
        List<Boolean> changed = new ArrayList<>();
        CsvMemberReader again = new CsvMemberReader("f", csv, Map.of(), () -> changed.add(true));
        again.open(checkpoint);
        assertThat(changed).containsExactly(true);
        assertThat(again.read().value("id")).isEqualTo("1");
        again.close();
    }

    private List<SourceRow> readAll(Path csv, ExecutionContext context) throws Exception {
        CsvMemberReader reader = new CsvMemberReader("f", csv, Map.of(), () -> {});
        reader.open(context);
        List<SourceRow> rows = new ArrayList<>();
        for (SourceRow row = reader.read(); row != null; row = reader.read()) {
            rows.add(row);
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
