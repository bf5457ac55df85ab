package com.membersync.source;

import com.opencsv.RFC4180Parser;
import com.opencsv.RFC4180ParserBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a CSV file's bytes into records and cells (RFC 4180) without decoding them, and fingerprints each record
 * from the bytes of the cells the vendor knows. A record the byte scan cannot vouch for (a quote inside an unquoted
 * cell, text after a closing quote, a carriage return inside quotes, the wrong number of cells) is parsed by opencsv
 * before its fingerprint is taken, so the fingerprint always describes the values opencsv reads. One thread only.
 */
final class CsvScanner {

    private static final int BUFFER = 1 << 20;

    private final FileChannel channel;
    private final RowFingerprint fingerprints;
    private final long[] cellHashes;
    private byte[] buffer = new byte[BUFFER];
    private long base; // the file offset of buffer[0]
    private int position;
    private int limit;
    private boolean eof;
    private long nextLine = 1;
    private long stopAt = Long.MAX_VALUE;

    private ColumnLayout layout;
    /** Per column, the fingerprint field it holds, or -1; null while reading the header. */
    private int[] fieldOfColumn;
    private boolean byteScan;

    // The record scanned last: buffer[start, end) without its line break; the next one starts at next.
    private int start;
    private int end;
    private int next;
    private int cells;
    private boolean simple;
    private boolean blank;
    private long line;

    CsvScanner(FileChannel channel, RowFingerprint fingerprints) {
        this.channel = channel;
        this.fingerprints = fingerprints;
        this.cellHashes = new long[fingerprints.size()];
    }

    /** The header's cells, or null when the file is empty. */
    String[] header() throws IOException {
        if (!scanRecord()) {
            return null;
        }
        position = next;
        String[] header = parse(buffer, start, end);
        if (header == null) {
            throw new IOException("the header row is not valid CSV (a quote is not closed)");
        }
        return header;
    }

    /** Reads records with this layout from now on. */
    void layout(ColumnLayout layout) {
        this.layout = layout;
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

    /** The file offset and line of the next record. */
    long offset() {
        return base + position;
    }

    long line() {
        return nextLine;
    }

    /** Continues at a record boundary saved earlier. */
    void seek(long offset, long line) throws IOException {
        channel.position(offset);
        base = offset;
        position = 0;
        limit = 0;
        eof = false;
        nextLine = line;
    }

    /** Stops the scan at a record boundary saved earlier, as if the file ended there. */
    void stopAt(long offset) {
        stopAt = offset;
    }

    /** Scans up to {@code max} records into {@code batch}; false when the file ended before that. */
    boolean scan(CsvBatch batch, int max) throws IOException {
        while (batch.size() < max) {
            if (offset() >= stopAt || !scanRecord()) {
                return false;
            }
            position = next;
            if (blank) {
                continue; // blank lines, e.g. trailing ones
            }
            long after = base + next;
            long recordStart = base + start;
            if (byteScan && simple && cells == layout.width()) {
                batch.add(recordStart, end - start, after, line, nextLine, RowFingerprint.key(cellHashes[0]),
                        fingerprints.of(cellHashes), null);
            } else {
                SourceRow row = row(buffer, start, end, line, layout);
                batch.add(recordStart, end - start, after, line, nextLine,
                        fingerprints.keyOf(row), fingerprints.of(row), row);
            }
        }
        return true;
    }

    /** Record {@code bytes[from, to)}, read by opencsv, or defective. */
    static SourceRow row(byte[] bytes, int from, int to, long line, ColumnLayout layout) {
        String[] parsed;
        try {
            parsed = parse(bytes, from, to);
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

    /** Record {@code bytes[from, to)}'s cells as opencsv reads them, or null when a quoted cell is not closed. */
    private static String[] parse(byte[] bytes, int from, int to) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        text = LineBreaks.toLf(text); // as opencsv reads lines
        RFC4180Parser parser = new RFC4180ParserBuilder().build();
        try {
            String[] parsed = parser.parseLineMulti(text);
            return parser.isPending() ? null : parsed;
        } catch (IOException e) {
            return null;
        }
    }

    /** Scans the next record, reading more of the file as needed; false at its end. */
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

}
