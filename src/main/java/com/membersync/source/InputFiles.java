package com.membersync.source;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks made on an input file before anything is sent, so that a wrong file stops the run early. */
public final class InputFiles {

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
     * Decodes the whole file once before anything is sent: a file in another encoding is refused up front rather
     * than half-planned. Streams through a small buffer, so its cost is a fraction of the parse.
     */
    static void requireUtf8(String feed, Path file) {
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try (var reader = new java.io.InputStreamReader(Files.newInputStream(file), decoder)) {
            char[] buffer = new char[1 << 16];
            while (reader.read(buffer) >= 0) {
                // decoding is the check
            }
        } catch (CharacterCodingException e) {
            throw new InputProblem("feed " + feed + ": input file " + file.toAbsolutePath()
                    + " is not UTF-8 text; export it as UTF-8 (with or without BOM)", e);
        } catch (IOException e) {
            throw new InputProblem("feed " + feed + ": cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
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

    /** The input lacks a required column: a configuration problem (exit 78). */
    public static final class MissingColumns extends RuntimeException {
        MissingColumns(String feed, List<String> missing, java.util.Collection<String> present) {
            super("feed " + feed + ": the input has no column " + String.join(", ", missing) + " (it has: "
                    + String.join(", ", present) + "); rename the column or map it with member-sync.feeds." + feed
                    + ".columns.<field>");
        }
    }
}
