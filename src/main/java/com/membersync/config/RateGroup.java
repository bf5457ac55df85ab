package com.membersync.config;

import java.util.List;

/**
 * Accounts that share one request budget, across every process on the same state store: at most {@code pace}. With
 * several accounts, the lowest of their fixed limits.
 *
 * @param name     the group's name ({@code rate-limit-group}; by default the account's own, Mayar's {@code mayar})
 * @param accounts the accounts in it
 */
public record RateGroup(String name, RatePolicy pace, List<String> accounts) {}
