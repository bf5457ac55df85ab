package com.membersync.connector;

import com.membersync.channel.VendorChannel;
import com.membersync.config.AccountSettings;
import com.membersync.source.SourceRow;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything member-sync knows about one vendor: its input columns, how a row becomes the vendor's fields,
 * and how to deliver a change. One Spring bean per vendor.
 */
public interface VendorDefinition {

    /** What the definition states of its vendor (see {@link VendorDescriptor}). */
    VendorDescriptor descriptor();

    /** The vendor's name: an account's {@code type}, and the name of its default account. */
    default String name() {
        return descriptor().name();
    }

    /** The input column that identifies a member at this vendor. */
    default String keyField() {
        return descriptor().keyField();
    }

    /** The other input columns this vendor understands. */
    default List<String> fields() {
        return descriptor().fields();
    }

    default AccountSettings.Defaults defaults() {
        return descriptor().defaults();
    }

    /** Fields that hold personal data: masked wherever values are shown outside {@code failures}. */
    default Set<String> personalFields() {
        return descriptor().personalFields();
    }

    /** Fields this vendor's answers never carry: {@code verify} cannot check them. */
    default Set<String> unreadable() {
        return descriptor().unreadable();
    }

    /**
     * Whether the vendor holds what was synced for a field: both normalised as the diff normalises them (the client
     * reads records in canonical form), compared as JSON values.
     */
    default boolean holds(String field, JsonNode synced, JsonNode live) {
        return live != null && synced.toString().equals(live.toString());
    }

    /** What to send so that the vendor holds these synced fields again: those fields, and what its request needs. */
    default ObjectNode repair(ObjectNode synced, Collection<String> fields) {
        ObjectNode repair = JsonNodeFactory.instance.objectNode();
        fields.forEach(field -> repair.set(field, synced.get(field)));
        return repair;
    }

    /**
     * What to send to deactivate a member that left the feed's input ({@code on-absent: deactivate}), from its
     * synced state; empty when the vendor's API has no way to (Hang).
     */
    default Optional<ObjectNode> deactivation(ObjectNode synced) {
        return Optional.empty();
    }

    /** Whether the vendor's API can deactivate a member (see {@link #deactivation}). */
    default boolean deactivates() {
        return false;
    }

    /**
     * A returning member's row, once deactivated: what it asks for, and the vendor's "active" where the row does not
     * say (Mayar's status, Decoda's isArchived).
     */
    default ObjectNode reactivation(ObjectNode desired) {
        return desired;
    }

    /** Validates and normalises one row. Must be fast and free of I/O: it runs once per input row. */
    RowResult read(SourceRow row, ZoneId zone);

    /** Fails with a {@link com.membersync.config.ConfigurationProblem} naming the setting when one is missing. */
    default void checkSettings(AccountSettings settings) {
        settings.requireApiKey();
    }

    VendorClient client(AccountSettings settings, VendorChannel channel);
}
