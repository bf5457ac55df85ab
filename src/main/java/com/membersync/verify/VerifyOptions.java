package com.membersync.verify;

import java.util.List;

/** What {@code verify} was asked to do; {@code sample} is a count or a share ({@code 500}, {@code 5%}), or null for all. */
public record VerifyOptions(List<String> feeds, String sample, boolean repair) {}
