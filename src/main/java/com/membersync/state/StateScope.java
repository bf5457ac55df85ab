package com.membersync.state;

/**
 * Whose cached state: one feed's, at one account. A feed pointed at another account finds none of what the first
 * one confirmed, since the same id at two accounts is two records.
 */
public record StateScope(String feed, String account) {}
