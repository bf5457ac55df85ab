package com.membersync.connector;

import com.membersync.config.AccountSettings;
import java.util.List;
import java.util.Set;

/**
 * What a vendor's definition states rather than does: its name, its input columns and the settings it starts from.
 *
 * @param name           the vendor's name: a {@code type}, and the name of its default account
 * @param keyField       the input column that identifies a member at this vendor
 * @param fields         the other input columns this vendor understands
 * @param personalFields fields that hold personal data: masked wherever values are shown outside {@code failures}
 * @param unreadable     fields this vendor's answers never carry: {@code verify} cannot check them
 */
public record VendorDescriptor(String name, String keyField, List<String> fields, AccountSettings.Defaults defaults,
        Set<String> personalFields, Set<String> unreadable) {}
