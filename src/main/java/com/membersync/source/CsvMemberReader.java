package com.membersync.source;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180Parser;
import com.opencsv.RFC4180ParserBuilder;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * Reads a member CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks), numbering each record by
 * the physical line it starts on.
 *
 * <p>Most records of a nightly export are unchanged, so a record is not decoded to find that out: the reader splits
 * the file's bytes into records and cells itself and hashes the cells the vendor knows straight from the bytes
 * ({@link RowFingerprint}). Only a record that planning asks for ({@link #row()}) is decoded and parsed, by opencsv.
 * A record the byte scan cannot vouch for (a quote inside an unquoted cell, text after a closing quote, a carriage
 * return inside quotes, the wrong number of cells) is parsed by opencsv before its fingerprint is taken, so the
 * fingerprint always describes the values opencsv reads.
 *
 * <p>Restartable: at each commit it saves the byte offset and line after the last record handed out and a
 * fingerprint of the file; a restart over the same file continues there, a restart over a changed file starts
 * again from the top and says so.
 */
public class CsvMemberReader implements MemberRecords {

    private static final Logger log = LoggerFactory.getLogger(CsvMemberReader.class);
    static final String OFFSET = "csv.offset";
    static final String LINE = "csv.line";
    static final String FINGERPRINT = "csv.fingerprint";
    /** Saved by versions that re-read the file up to a record count on restart. */
    private static final String OLD_RECORDS = "csv.records";
    private static final int BUFFER = 1 << 20;

    private final String name;
    private final Path file;
    private final Map<String, String> columns;
    private final RowFingerprint fingerprints;
    private final Runnable onInputChanged;

    private FileChannel channel;
    private String fileFingerprint;
    private byte[] buffer;
    private long base; // the file offset of buffer[0]
    private int position;
    private int limit;
    private boolean eof;
    private long nextLine;

    private ColumnLayout layout;
    /** Per column, the fingerprint field it holds, or -1. */
    private int[] fieldOfColumn;
    private boolean byteScan;
    private final long[] cellHashes;

    // The current record: buffer[start, end) without its line break; the next one starts at next.
    private int start;
    private int end;
    private int next;
    private int cells;
    private boolean simple;
    private boolean blank;
    private long line;
    private long keyHash;
    private long fingerprint;
    private SourceRow row;

    /**
     * @param fingerprints   which fields the fingerprint covers
     * @param onInputChanged called when a restart finds the file changed since the interrupted run, before
     *                       planning again from the top
     */
    public CsvMemberReader(String name, Path file, Map<String, String> columns, RowFingerprint fingerprints,
            Runnable onInputChanged) {
        this.name = name;
        this.file = file;
        this.columns = columns;
        this.fingerprints = fingerprints;
        this.onInputChanged = onInputChanged;
        this.cellHashes = new long[fingerprints.size()];
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            fileFingerprint = InputFiles.fingerprint(file);
            channel = FileChannel.open(file, StandardOpenOption.READ);
            buffer = new byte[BUFFER];
            nextLine = 1;
            if (!scanRecord()) {
                throw new InputProblem(file + " is empty: a header row is required");
            }
            String[] header = parse();
            if (header == null) {
                throw new InputProblem(file + ": the header row is not valid CSV");
            }
            layout = ColumnLayout.of(header, columns);
            resolveColumns();
            position = next; // past the header
            long resumeAt = context.getLong(OFFSET, 0L);
            if (resumeAt > 0 || context.getLong(OLD_RECORDS, 0L) > 0) {
                if (resumeAt > 0 && fileFingerprint.equals(context.getString(FINGERPRINT, ""))) {
                    log.info("{}: resuming {} at line {}", name, file, context.getLong(LINE));
                    channel.position(resumeAt);
                    base = resumeAt;
                    position = 0;
                    limit = 0;
                    eof = false;
                    nextLine = context.getLong(LINE);
                } else {
                    log.warn("{}: {} changed since the interrupted run; planning it again from the top", name, file);
                    onInputChanged.run();
                }
            }
        } catch (IOException e) {
            throw new ItemStreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void resolveColumns() {
        int[] fieldColumns = fingerprints.columns(layout);
        fieldOfColumn = new int[layout.width()];
        Arrays.fill(fieldOfColumn, -1);
        byteScan = true;
        for (int field = 0; field < fieldColumns.length; field++) {
            int column = fieldColumns[field];
            if (column >= 0) {
                // Two fields read from one column (a columns mapping can do that): parse every record instead.
                byteScan &= fieldOfColumn[column] < 0;
                fieldOfColumn[column] = field;
            }
        }
    }

    @Override
    public boolean next() {
        try {
            while (true) {
                row = null;
                if (!scanRecord()) {
                    return false;
                }
                position = next;
                if (blank) {
                    continue; // blank lines, e.g. trailing ones
                }
                if (byteScan && simple && cells == layout.width()) {
                    keyHash = RowFingerprint.key(cellHashes[0]);
                    fingerprint = fingerprints.of(cellHashes);
                } else {
                    SourceRow parsed = row();
                    keyHash = parsed.defect() == null ? fingerprints.keyOf(parsed) : RowFingerprint.NO_KEY;
                    fingerprint = fingerprints.of(parsed);
                }
                return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public long keyHash() {
        return keyHash;
    }

    @Override
    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public SourceRow row() {
        if (row == null) {
            row = toRow();
        }
        return row;
    }

    private SourceRow toRow() {
        String[] parsed;
        try {
            parsed = parse();
        } catch (CharacterCodingException e) {
            return SourceRow.defective(line, new String[0], layout, "is not UTF-8 text");
        }
        if (parsed == null) {
            return SourceRow.defective(line, new String[0], layout,
                    "malformed CSV: a quoted cell is not closed (an opening quote without its closing quote?)");
        }
        if (parsed.length != layout.width()) {
            return SourceRow.defective(line, parsed, layout,
                    "has " + parsed.length + " cells but the header has " + layout.width());
        }
        return SourceRow.of(line, parsed, layout);
    }

    /** The current record's cells as opencsv reads them, or null when a quoted cell is not closed. */
    private String[] parse() throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buffer, start, end - start)).toString();
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r\n", "\n").replace('\r', '\n'); // as opencsv reads lines: any break is LF
        }
        RFC4180Parser parser = new RFC4180ParserBuilder().build();
        try {
            String[] parsed = parser.parseLineMulti(text);
            return parser.isPending() ? null : parsed;
        } catch (IOException e) {
            return null;
        }
    }

    /** Scans the next record into the current one, reading more of the file as needed; false at its end. */
    private boolean scanRecord() throws IOException {
        while (true) {
            if (position >= limit && eof) {
                return false;
            }
            if (scan()) {
                return true;
            }
            fill();
        }
    }

    /** Reads more of the file after the unscanned rest of the buffer. */
    private void fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            base += position;
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2); // a record larger than the buffer
        }
        int read = channel.read(ByteBuffer.wrap(buffer, limit, buffer.length - limit));
        if (read < 0) {
            eof = true;
        } else {
            limit += read;
        }
    }

    /**
     * Splits the record at {@link #position} into cells and hashes the fingerprint fields' cells. Returns false when
     * the buffer ends before the record does and more of the file is to be read. A line break is LF, CRLF or a lone
     * CR; inside quotes it belongs to the cell.
     */
    private boolean scan() {
        byte[] b = buffer;
        int lim = limit;
        int i = position;
        if (fieldOfColumn != null) {
            Arrays.fill(cellHashes, RowFingerprint.BLANK);
        }
        boolean isSimple = true;
        long firstCell = RowFingerprint.BLANK;
        int count = 0;
        int breaks = 0;
        int recordEnd;
        while (true) {
            int cellStart = i;
            boolean quoted = i < lim && b[i] == '"';
            int quoteEnd = i;
            if (quoted) {
                int q = i + 1;
                boolean closed = false;
                while (q < lim) {
                    byte c = b[q];
                    if (c == '"') {
                        if (q + 1 >= lim && !eof) {
                            return false; // cannot yet tell a closing quote from an escaped one
                        }
                        if (q + 1 < lim && b[q + 1] == '"') {
                            q += 2;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    if (c == '\n') {
                        breaks++;
                    } else if (c == '\r') {
                        isSimple = false; // opencsv reads CRLF inside quotes as LF
                        if (q + 1 >= lim && !eof) {
                            return false;
                        }
                        if (q + 1 >= lim || b[q + 1] != '\n') {
                            breaks++;
                        }
                    }
                    q++;
                }
                if (!closed) {
                    if (!eof) {
                        return false;
                    }
                    // An unterminated quote runs to the end of the file: one malformed record.
                    isSimple = false;
                    count++;
                    recordEnd = lim;
                    i = lim;
                    break;
                }
                quoteEnd = q;
                i = q + 1;
                if (i < lim && b[i] != ',' && b[i] != '\n' && b[i] != '\r') {
                    isSimple = false; // text after the closing quote: opencsv decides what it means
                }
            }
            while (i < lim) {
                byte c = b[i];
                if (c == ',' || c == '\n' || c == '\r') {
                    break;
                }
                if (c == '"') {
                    isSimple = false; // a quote inside an unquoted cell: opencsv decides what it means
                }
                i++;
            }
            if (i >= lim && !eof) {
                return false;
            }
            int field = fieldOfColumn != null && count < fieldOfColumn.length ? fieldOfColumn[count] : -1;
            if (field >= 0 || count == 0) {
                long hash = quoted ? RowFingerprint.quotedCell(b, cellStart + 1, quoteEnd)
                        : RowFingerprint.cell(b, cellStart, i);
                if (field >= 0) {
                    cellHashes[field] = hash;
                }
                if (count == 0) {
                    firstCell = hash;
                }
            }
            count++;
            if (i >= lim) {
                recordEnd = lim; // the last record, without a line break
                break;
            }
            if (b[i] == ',') {
                i++;
                continue;
            }
            recordEnd = i;
            if (b[i] == '\r') {
                if (i + 1 >= lim && !eof) {
                    return false;
                }
                i += i + 1 < lim && b[i + 1] == '\n' ? 2 : 1;
            } else {
                i++;
            }
            breaks++;
            break;
        }
        start = position;
        end = recordEnd;
        next = i;
        cells = count;
        simple = isSimple;
        blank = count == 1 && firstCell == RowFingerprint.BLANK;
        line = nextLine;
        nextLine += breaks;
        return true;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(OFFSET, base + position);
        context.putLong(LINE, nextLine);
        context.putString(FINGERPRINT, fileFingerprint);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing {}", file, e);
            }
            channel = null;
        }
        buffer = null;
    }

    /** An opencsv reader over a strictly decoded UTF-8 file: a file in another encoding is refused, not mangled. */
    static CSVReader open(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Reader reader = new InputStreamReader(Files.newInputStream(file), decoder);
        return new CSVReaderBuilder(reader)
                .withCSVParser(new RFC4180ParserBuilder().build())
                .withKeepCarriageReturn(false)
                .build();
    }
}
