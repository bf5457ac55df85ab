package com.membersync.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code member-sync.source.*}: the members' database that feeds with a {@code query} read from. Separate from
 * the state store ({@code spring.datasource}) and only ever read.
 *
 * @param statementTimeout how long one statement on it (a page of a query) may run before it is cancelled
 */
public record SourceProperties(String url, String username, String password,
        @DefaultValue("5m") Duration statementTimeout) {

    public SourceProperties {
        statementTimeout = statementTimeout == null ? Duration.ofMinutes(5) : statementTimeout;
    }

    public boolean configured() {
        return url != null && !url.isBlank();
    }

    /** Never prints the password: these properties may end up in a log line or an exception message. */
    @Override
    public String toString() {
        // URL parameters may carry credentials too (?password=...), so they are left out as well.
        String shownUrl = url == null ? null : url.replaceFirst("[?;].*$", "?...");
        return "SourceProperties[url=" + shownUrl + ", username=" + username + ", password="
                + (password == null ? "null" : "******") + ", statementTimeout=" + statementTimeout + "]";
    }
}
