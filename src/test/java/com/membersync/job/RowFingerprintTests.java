package com.membersync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.config.FeedProperties;
import com.membersync.config.VendorSettings;
import com.membersync.delivery.VendorChannel;
import com.membersync.source.ColumnLayout;
import com.membersync.source.SourceRow;
import com.membersync.vendor.RowResult;
import com.membersync.vendor.VendorClient;
import com.membersync.vendor.VendorDefinition;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowFingerprintTests {

    private static final String[] HEADER = {"id", "email", "name", "notes"};

    @Test
    void theSameValuesGiveTheSameFingerprintWhateverTheColumnOrderSpacesOrUnknownColumns() {
        RowFingerprint fingerprint = new RowFingerprint(feed("UTC"));

        long plain = fingerprint.of(row(HEADER, "m1", "a@example.com", "Ann", "x"));
        long reordered = fingerprint.of(row(new String[] {"name", "notes", "email", "id"}, "Ann", "other", "a@example.com", "m1"));
        long spaced = fingerprint.of(row(HEADER, " m1 ", "a@example.com\t", "  Ann", "x"));

        assertThat(reordered).isEqualTo(plain);
        assertThat(spaced).isEqualTo(plain);
    }

    @Test
    void anyChangedManagedValueOrSettingChangesTheFingerprint() {
        RowFingerprint fingerprint = new RowFingerprint(feed("UTC"));
        long plain = fingerprint.of(row(HEADER, "m1", "a@example.com", "Ann", "x"));

        assertThat(fingerprint.of(row(HEADER, "m1", "a@example.com", "Anne", "x"))).isNotEqualTo(plain);
        assertThat(fingerprint.of(row(HEADER, "m1", "", "Ann", "x"))).isNotEqualTo(plain);
        assertThat(fingerprint.of(row(HEADER, "m2", "a@example.com", "Ann", "x"))).isNotEqualTo(plain);
        // values do not bleed into each other: "ab","c" is not "a","bc"
        assertThat(fingerprint.of(row(HEADER, "m1", "ab", "c", "x")))
                .isNotEqualTo(fingerprint.of(row(HEADER, "m1", "a", "bc", "x")));
        assertThat(new RowFingerprint(feed("Asia/Jakarta")).of(row(HEADER, "m1", "a@example.com", "Ann", "x")))
                .as("the zone changes how dates are read").isNotEqualTo(plain);
    }

    @Test
    void aBlankCellAndAMissingColumnAreTheSame() {
        RowFingerprint fingerprint = new RowFingerprint(feed("UTC"));

        assertThat(fingerprint.of(row(new String[] {"id", "email"}, "m1", "a@example.com")))
                .isEqualTo(fingerprint.of(row(HEADER, "m1", "a@example.com", " ", "x")));
    }

    @Test
    void theIndexKeepsEveryMembersFingerprintAndFirstLineAcrossGrowth() {
        MemberIndex index = new MemberIndex(16);
        Random random = new Random(42);
        long[] keys = random.longs(200_000).toArray();
        for (int i = 0; i < keys.length; i++) {
            index.fingerprint(index.slot(keys[i]), i + 1);
        }
        index.firstLine(index.slot(keys[7]), 9);

        assertThat(index.size()).isEqualTo(keys.length);
        for (int i = 0; i < keys.length; i++) {
            assertThat(index.fingerprint(index.slot(keys[i]))).isEqualTo(i + 1);
        }
        assertThat(index.firstLine(index.slot(keys[7]))).isEqualTo(9);
        assertThat(index.fingerprint(index.slot(12345L))).as("a new member").isEqualTo(MemberIndex.UNKNOWN);
        assertThat(index.size()).isEqualTo(keys.length + 1);
    }

    private static SourceRow row(String[] header, String... cells) {
        return SourceRow.of(2, cells, ColumnLayout.of(header, Map.of()));
    }

    private static FeedSpec feed(String zone) {
        VendorDefinition vendor = new VendorDefinition() {
            public String name() {
                return "test";
            }

            public String keyField() {
                return "id";
            }

            public List<String> fields() {
                return List.of("email", "name");
            }

            public VendorSettings.Defaults defaults() {
                return null;
            }

            public RowResult read(SourceRow row, ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            public VendorClient client(VendorSettings settings, VendorChannel channel) {
                throw new UnsupportedOperationException();
            }
        };
        return new FeedSpec("members", new FeedProperties("test", null, null, null, null, null, ZoneId.of(zone)),
                vendor, null, null, null);
    }
}
