package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowFingerprintTests {

    private static final String[] HEADER = {"id", "email", "name", "notes"};

    @Test
    void theSameValuesGiveTheSameFingerprintWhateverTheColumnOrderSpacesOrUnknownColumns() {
        RowFingerprint fingerprint = fingerprint("UTC");

        long plain = fingerprint.of(row(HEADER, "m1", "a@example.com", "Ann", "x"));
        long reordered = fingerprint.of(row(new String[] {"name", "notes", "email", "id"}, "Ann", "other", "a@example.com", "m1"));
        long spaced = fingerprint.of(row(HEADER, " m1 ", "a@example.com\t", "  Ann", "x"));

        assertThat(reordered).isEqualTo(plain);
        assertThat(spaced).isEqualTo(plain);
    }

    @Test
    void anyChangedManagedValueOrSettingChangesTheFingerprint() {
        RowFingerprint fingerprint = fingerprint("UTC");
        long plain = fingerprint.of(row(HEADER, "m1", "a@example.com", "Ann", "x"));

        assertThat(fingerprint.of(row(HEADER, "m1", "a@example.com", "Anne", "x"))).isNotEqualTo(plain);
        assertThat(fingerprint.of(row(HEADER, "m1", "", "Ann", "x"))).isNotEqualTo(plain);
        assertThat(fingerprint.of(row(HEADER, "m2", "a@example.com", "Ann", "x"))).isNotEqualTo(plain);
        assertThat(fingerprint.of(row(HEADER, "m1", "a@example.com", "Änn", "x"))).isNotEqualTo(plain);
        // values do not bleed into each other: "ab","c" is not "a","bc"
        assertThat(fingerprint.of(row(HEADER, "m1", "ab", "c", "x")))
                .isNotEqualTo(fingerprint.of(row(HEADER, "m1", "a", "bc", "x")));
        assertThat(fingerprint("Asia/Jakarta").of(row(HEADER, "m1", "a@example.com", "Ann", "x")))
                .as("the zone changes how dates are read").isNotEqualTo(plain);
    }

    @Test
    void aBlankCellAndAMissingColumnAreTheSame() {
        RowFingerprint fingerprint = fingerprint("UTC");

        assertThat(fingerprint.of(row(new String[] {"id", "email"}, "m1", "a@example.com")))
                .isEqualTo(fingerprint.of(row(HEADER, "m1", "a@example.com", " ", "x")));
    }

    @Test
    void aCellHashesTheSameFromTheFilesBytesAsFromItsParsedValue() {
        for (String value : List.of("", "plain", "  padded\t", "Zoë Ångström", "漢字", "emoji 😀 ok", "tab\tinside",
                "a \"quoted\" word", "two\nlines", "\u2003em-space padded\u2003")) {
            byte[] unquoted = value.getBytes(StandardCharsets.UTF_8);
            byte[] quoted = value.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8);

            assertThat(RowFingerprint.cell(unquoted, 0, unquoted.length)).as(value).isEqualTo(RowFingerprint.cell(value));
            assertThat(RowFingerprint.quotedCell(quoted, 0, quoted.length)).as(value).isEqualTo(RowFingerprint.cell(value));
        }
        assertThat(RowFingerprint.cell("  ")).isEqualTo(RowFingerprint.BLANK);
        assertThat(RowFingerprint.cell("\u2003")).as("only ASCII white space is trimmed").isNotEqualTo(RowFingerprint.BLANK);
    }

    @Test
    void aKeyHashesAsTheCachedStateStoresIt() {
        RowFingerprint fingerprint = fingerprint("UTC");

        assertThat(fingerprint.keyOf(row(HEADER, " m1 ", "a", "b", "c"))).isEqualTo(RowFingerprint.ofKey("m1"));
        assertThat(fingerprint.keyOf(row(HEADER, "  ", "a", "b", "c"))).isEqualTo(RowFingerprint.NO_KEY);
        assertThat(fingerprint.keyOf(SourceRow.defective(3, new String[] {"m1", "a"}, ColumnLayout.of(HEADER, Map.of()),
                "has 2 cells but the header has 4"))).as("a defective row").isEqualTo(RowFingerprint.NO_KEY);
        assertThat(RowFingerprint.ofKey("m1")).isNotEqualTo(RowFingerprint.ofKey("m2"));
    }

    private static SourceRow row(String[] header, String... cells) {
        return SourceRow.of(2, cells, ColumnLayout.of(header, Map.of()));
    }

    private static RowFingerprint fingerprint(String zone) {
        return new RowFingerprint("id", List.of("email", "name"), "test\u0000" + zone);
    }
}
