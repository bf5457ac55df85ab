package com.membersync.config;

/**
 * {@code member-sync.source.*}: the members' database that feeds with a {@code query} read from. Separate from
 * the state store ({@code spring.datasource}) and only ever read.
 */
public record SourceProperties(String url, String username, String password) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }

    /** Never prints the password: these properties may end up in a log line or an exception message. */
    @Override
    public String toString() {
        // URL parameters may carry credentials too (?password=...), so they are left out as well.
        String shownUrl = url == null ? null : url.replaceFirst("[?;].*$", "?...");
        return "SourceProperties[url=" + shownUrl + ", username=" + username + ", password="
                + (password == null ? "null" : "******") + "]";
    }
}
