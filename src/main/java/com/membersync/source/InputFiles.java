package com.membersync.source;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks made on an input file before anything is sent, so that a wrong file stops the run early. */
public final class InputFiles {

    private static final Logger log = LoggerFactory.getLogger(InputFiles.class);

    private InputFiles() {}

    /** Size and modification time: enough to notice an export replaced between a failed run and its rerun. */
    static String fingerprint(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.size() + ":" + attributes.lastModifiedTime().toMillis();
    }

    /**
     * Reads the header and returns its layout.
     *
     * @throws InputProblem when the file is missing, unreadable or not UTF-8 (exit 66)
     * @throws MissingColumns when required columns are missing (exit 78)
     */
    public static ColumnLayout header(String feed, Path file, Map<String, String> columns) {
        if (!Files.exists(file)) {
            throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath() + " does not exist (member-sync.feeds." + feed + ".csv)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath() + " is not a readable file");
        }
        requireUtf8(feed, file);
        try (CSVReader csv = CsvMemberReader.open(file)) {
            String[] header = csv.readNext();
            if (header == null) {
                throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath() + " is empty: a header row is required");
            }
            return ColumnLayout.of(header, columns);
        } catch (NoSuchFileException e) {
            throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath() + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath() + " is not UTF-8 text; export it as UTF-8", e);
        } catch (IOException | CsvException e) {
            throw new InputProblem("feed " + feed + ": cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the whole file once before anything is sent: a file in another encoding is refused up front rather
     * than half-planned. Streams through a small buffer; runs of plain ASCII, most of a member list, are checked
     * eight bytes at a time and only the rest goes through the UTF-8 decoder.
     */
    static void requireUtf8(String feed, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 20);
        CharBuffer out = CharBuffer.allocate(in.capacity());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean end = false;
            while (!end) {
                end = channel.read(in) < 0;
                in.flip();
                if (!end && ascii(in.array(), in.limit())) {
                    in.clear(); // nothing left over: a multi-byte sequence cut by the buffer is not ASCII
                    continue;
                }
                CoderResult result = decoder.decode(in, out, end);
                if (result.isError()) {
                    result.throwException();
                }
                out.clear();
                in.compact();
            }
            CoderResult result = decoder.flush(out);
            if (result.isError()) {
                result.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath()
                    + " is not UTF-8 text; export it as UTF-8 (with or without BOM)", e);
        } catch (IOException e) {
            throw new InputProblem("feed " + feed + ": cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Whether {@code bytes[0, length)} are all ASCII (no byte with its high bit set). */
    private static boolean ascii(byte[] bytes, int length) {
        int i = 0;
        long high = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            high |= (long) LONGS.get(bytes, i);
        }
        for (; i < length; i++) {
            high |= bytes[i];
        }
        return (high & 0x8080808080808080L) == 0;
    }

    /** Fails when the layout lacks the key column. */
    public static void requireColumns(String feed, ColumnLayout layout, List<String> required, Map<String, String> columns) {
        List<String> missing = new ArrayList<>();
        for (String field : required) {
            if (!layout.has(field)) {
                missing.add(columns.getOrDefault(field, field));
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingColumns(feed, missing, layout.headers().keySet());
        }
    }

    /**
     * Checks an input's columns before anything is sent: the key column must be there (else {@link MissingColumns});
     * columns the vendor does not know are ignored, with one warning.
     */
    public static void checkColumns(String feed, ColumnLayout layout, String vendor, String keyField,
            List<String> fields, Map<String, String> columns) {
        requireColumns(feed, layout, List.of(keyField), columns);
        List<String> unknown = layout.headers().keySet().stream()
                .filter(column -> !column.equals(keyField) && !fields.contains(column) && !columns.containsValue(column))
                .toList();
        if (!unknown.isEmpty()) {
            log.warn("{}: ignoring columns {} (not {} fields)", feed, unknown, vendor);
        }
    }

    /** The input lacks a required column: a configuration problem (exit 78). */
    public static final class MissingColumns extends RuntimeException {
        MissingColumns(String feed, List<String> missing, Collection<String> present) {
            super("feed " + feed + ": the input has no column " + String.join(", ", missing) + " (it has: "
                    + String.join(", ", present) + "); rename the column or map it with member-sync.feeds." + feed
                    + ".columns.<field>");
        }
    }
}
