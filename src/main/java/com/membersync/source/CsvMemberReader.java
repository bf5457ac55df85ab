package com.membersync.source;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * Reads a member CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks), numbering each record by
 * the physical line it starts on.
 *
 * <p>Most records of a nightly export are unchanged, so a record is not decoded to find that out: a {@link CsvScanner}
 * fingerprints it from the file's bytes, and only a record that planning asks for ({@link #row()}) is read again
 * and parsed by opencsv. The scan runs on a thread of its own, up to about a million records ahead: while planning
 * waits for the cached fingerprints to load from the state store, the file is already being read.
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
    private static final int BATCH = 8192;
    /** Batches scanned ahead at the most: about 50 bytes a record, so about 50 MB. */
    private static final int BATCHES_AHEAD = 128;

    private final String name;
    private final Path file;
    private final Map<String, String> columns;
    private final RowFingerprint fingerprints;
    private final Runnable onInputChanged;
    /** Where the records end: the end of the file, or where the reader this one is {@link #earlier} of starts. */
    private final long end;

    private FileChannel channel;
    private String fileFingerprint;
    private ColumnLayout layout;
    private BlockingQueue<CsvBatch> ahead;
    private Thread scanning;
    private long startOffset;
    private long startLine;

    // The current record: index in the current batch, and its row once parsed.
    private CsvBatch current;
    private int index;
    private boolean finished;
    private SourceRow row;

    /**
     * @param fingerprints   which fields the fingerprint covers
     * @param onInputChanged called when a restart finds the file changed since the interrupted run, before
     *                       planning again from the top
     */
    public CsvMemberReader(String name, Path file, Map<String, String> columns, RowFingerprint fingerprints,
            Runnable onInputChanged) {
        this(name, file, columns, fingerprints, onInputChanged, Long.MAX_VALUE);
    }

    private CsvMemberReader(String name, Path file, Map<String, String> columns, RowFingerprint fingerprints,
            Runnable onInputChanged, long end) {
        this.name = name;
        this.file = file;
        this.columns = columns;
        this.fingerprints = fingerprints;
        this.onInputChanged = onInputChanged;
        this.end = end;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            fileFingerprint = InputFiles.fingerprint(file);
            channel = FileChannel.open(file, StandardOpenOption.READ);
            CsvScanner scanner = new CsvScanner(channel, fingerprints);
            String[] header = scanner.header();
            if (header == null) {
                throw new InputProblem(file + " is empty: a header row is required");
            }
            layout = ColumnLayout.of(header, columns);
            scanner.layout(layout);
            scanner.stopAt(end);
            long resumeAt = context.getLong(OFFSET, 0L);
            if (resumeAt > 0 || context.getLong(OLD_RECORDS, 0L) > 0) {
                if (resumeAt > 0 && fileFingerprint.equals(context.getString(FINGERPRINT, ""))) {
                    log.info("{}: resuming {} at line {}", name, file, context.getLong(LINE));
                    scanner.seek(resumeAt, context.getLong(LINE));
                } else {
                    log.warn("{}: {} changed since the interrupted run; planning it again from the top", name, file);
                    onInputChanged.run();
                }
            }
            startOffset = scanner.offset();
            startLine = scanner.line();
            ahead = new ArrayBlockingQueue<>(BATCHES_AHEAD);
            scanning = Thread.ofPlatform().daemon().name(name + "-read-ahead").start(() -> readAhead(scanner));
        } catch (IOException e) {
            throw new ItemStreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The scanning thread: fills the queue until the file ends, fails, or the reader is closed. */
    private void readAhead(CsvScanner scanner) {
        try {
            boolean more = true;
            while (more) {
                CsvBatch batch = new CsvBatch(BATCH);
                more = scanner.scan(batch, BATCH);
                if (batch.size() > 0) {
                    ahead.put(batch);
                }
            }
            ahead.put(CsvBatch.END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: nobody reads on
        } catch (IOException | RuntimeException e) {
            try {
                ahead.put(CsvBatch.failed(e)); // for the reader to throw; when closed, the interrupt ends the wait
            } catch (InterruptedException closed) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean next() {
        row = null;
        if (current != null && index + 1 < current.size()) {
            index++;
            return true;
        }
        if (finished) {
            return false;
        }
        CsvBatch batch = take();
        if (batch == CsvBatch.END) {
            finished = true;
            return false;
        }
        current = batch;
        index = 0;
        return true;
    }

    private CsvBatch take() {
        CsvBatch batch;
        try {
            batch = ahead.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ItemStreamException("interrupted while reading " + file, e);
        }
        if (batch.failure() != null) {
            throw new ItemStreamException("cannot read " + file + ": " + batch.failure().getMessage(), batch.failure());
        }
        return batch;
    }

    @Override
    public long line() {
        return current.line(index);
    }

    @Override
    public long keyHash() {
        return current.keyHash(index);
    }

    @Override
    public long fingerprint() {
        return current.fingerprint(index);
    }

    @Override
    public SourceRow row() {
        if (row == null) {
            row = current.row(index) != null ? current.row(index) : reread(current.start(index), current.length(index));
        }
        return row;
    }

    /** Reads the current record's bytes again and parses them. */
    private SourceRow reread(long start, int length) {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        try {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, start + bytes.position()) < 0) {
                    throw new IOException("the file is shorter than when it was scanned");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return CsvScanner.row(bytes.array(), 0, length, line(), layout);
    }

    /** The same file from the top up to where this reader starts (the file is the one it resumed in: unchanged). */
    @Override
    public MemberRecords earlier() {
        return new CsvMemberReader(name, file, columns, fingerprints, () -> {}, startOffset);
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(OFFSET, current == null ? startOffset : current.after(index));
        context.putLong(LINE, current == null ? startLine : current.nextLine(index));
        context.putString(FINGERPRINT, fileFingerprint);
    }

    @Override
    public void close() {
        if (scanning != null) {
            scanning.interrupt();
            ahead.clear();
            try {
                scanning.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scanning = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing {}", file, e);
            }
            channel = null;
        }
        current = null;
        ahead = null;
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
