package com.membersync.source;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvMalformedLineException;
import com.opencsv.exceptions.CsvValidationException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads a member CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) row by row, numbering each
 * row by the physical line it starts on. Restartable: at each commit it saves how many records it has handed
 * out and a fingerprint of the file; a restart over the same file skips those records, a restart over a changed
 * file starts again from the top and says so.
 */
public class CsvMemberReader implements ItemStreamReader<SourceRow> {

    private static final Logger log = LoggerFactory.getLogger(CsvMemberReader.class);
    static final String RECORDS = "csv.records";
    static final String FINGERPRINT = "csv.fingerprint";

    private final String name;
    private final Path file;
    private final Map<String, String> columns;
    private final Runnable onInputChanged;
    private CSVReader csv;
    private ColumnLayout layout;
    private long records;
    private String fingerprint;
    private boolean exhausted;

    /**
     * @param onInputChanged called when a restart finds the file changed since the interrupted run, before
     *                       planning again from the top
     */
    public CsvMemberReader(String name, Path file, Map<String, String> columns, Runnable onInputChanged) {
        this.name = name;
        this.file = file;
        this.columns = columns;
        this.onInputChanged = onInputChanged;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            fingerprint = InputFiles.fingerprint(file);
            csv = open(file);
            String[] header = csv.readNext();
            if (header == null) {
                throw new InputProblem(file + " is empty: a header row is required");
            }
            layout = ColumnLayout.of(header, columns);
            long resumeAt = context.getLong(RECORDS, 0L);
            if (resumeAt > 0) {
                if (fingerprint.equals(context.getString(FINGERPRINT, ""))) {
                    log.info("{}: resuming {} after record {}", name, file, resumeAt);
                    while (records < resumeAt && nextRecord() != null) {
                        // skipping what the interrupted run already planned
                    }
                } else {
                    log.warn("{}: {} changed since the interrupted run; planning it again from the top", name, file);
                    onInputChanged.run();
                }
            }
        } catch (IOException | CsvValidationException e) {
            throw new ItemStreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static CSVReader open(Path file) throws IOException {
        // Strict UTF-8: a file in another encoding must be refused, not silently mangled.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Reader reader = new InputStreamReader(Files.newInputStream(file), decoder);
        return new CSVReaderBuilder(reader)
                .withCSVParser(new RFC4180ParserBuilder().build())
                .withKeepCarriageReturn(false)
                .build();
    }

    @Override
    public SourceRow read() throws IOException {
        while (!exhausted) {
            long line = csv.getLinesRead() + 1;
            String[] cells;
            try {
                cells = nextRecord();
            } catch (CsvMalformedLineException e) {
                exhausted = true;
                records++;
                return SourceRow.defective(line, new String[0], layout,
                        "malformed CSV: " + e.getMessage() + " (an opening quote without its closing quote?)");
            } catch (CsvValidationException e) {
                records++;
                return SourceRow.defective(line, new String[0], layout, "malformed CSV: " + e.getMessage());
            }
            if (cells == null) {
                exhausted = true;
                return null;
            }
            if (cells.length == 1 && cells[0].isBlank()) {
                continue; // blank line, e.g. trailing ones
            }
            if (cells.length != layout.width()) {
                return SourceRow.defective(line, cells, layout,
                        "has " + cells.length + " cells but the header has " + layout.width());
            }
            return SourceRow.of(line, cells, layout);
        }
        return null;
    }

    private String[] nextRecord() throws IOException, CsvValidationException {
        String[] cells = csv.readNext();
        if (cells != null) {
            records++;
        }
        return cells;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(RECORDS, records);
        context.putString(FINGERPRINT, fingerprint);
    }

    @Override
    public void close() {
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException e) {
                log.debug("closing {}", file, e);
            }
            csv = null;
        }
    }
}
