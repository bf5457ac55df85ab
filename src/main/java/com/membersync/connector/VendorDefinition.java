package com.membersync.connector;

import com.membersync.channel.VendorChannel;
import com.membersync.config.VendorSettings;
import com.membersync.source.SourceRow;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Everything member-sync knows about one vendor: its input columns, how a row becomes the vendor's fields,
 * and how to deliver a change. One Spring bean per vendor.
 */
public interface VendorDefinition {

    /** The name used in settings: {@code member-sync.vendors.<name>} and a feed's {@code vendor}. */
    String name();

    /** The input column that identifies a member at this vendor. */
    String keyField();

    /** The other input columns this vendor understands. */
    List<String> fields();

    VendorSettings.Defaults defaults();

    /** Fields that hold personal data: masked wherever values are shown outside {@code failures}. */
    default Set<String> personalFields() {
        return Set.of();
    }

    /** Validates and normalises one row. Must be fast and free of I/O: it runs once per input row. */
    RowResult read(SourceRow row, ZoneId zone);

    /** Fails with a {@link com.membersync.config.ConfigurationProblem} naming the setting when one is missing. */
    default void checkSettings(VendorSettings settings) {
        settings.requireApiKey();
    }

    VendorClient client(VendorSettings settings, VendorChannel channel);
}
