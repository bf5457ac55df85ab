package com.membersync.plan;

import com.membersync.config.ChangeLimit;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decides whether a finished plan may be sent: not when more rows were rejected than {@code max-rejected} allows
 * (most likely the wrong file), nor when it changes more members than {@code max-changes} allows. A first sync
 * changes everything by definition, so it is exempt until it has completed once.
 */
record MassChangeGuard(String feed, ChangeLimit maxChanges, ChangeLimit maxRejected) {

    /** What the plan amounts to: rows read, rows rejected, and the changes it sends (deactivations included). */
    record Plan(long read, long rejected, long planned) {}

    /**
     * Why the guard stops the plan, if it does.
     *
     * @param synced         members already synced by the feed (only counted when something is planned)
     * @param completedBefore whether the feed ever ran to the end
     */
    Optional<String> stops(Plan plan, LongSupplier synced, BooleanSupplier completedBefore) {
        if (plan.rejected() > maxRejected.of(plan.read())) {
            return Optional.of(String.format(Locale.ROOT,
                    "%d of %d rows were rejected, more than max-rejected %s: is this the right file? Fix it, or raise"
                            + " member-sync.feeds.%s.max-rejected, or run with --force",
                    plan.rejected(), plan.read(), maxRejected, feed));
        }
        if (plan.planned() == 0) {
            return Optional.empty(); // nothing to send, nothing to hold back: spares counting a million members
        }
        long members = synced.getAsLong();
        if (members == 0 || !completedBefore.getAsBoolean()) {
            // A first sync, also when it is resumed or planned again after a crash left part of it delivered.
            return Optional.empty();
        }
        if (plan.planned() > maxChanges.of(members)) {
            return Optional.of(String.format(Locale.ROOT,
                    "%d changes planned for %d members already synced, more than max-changes %s (%d): nothing was sent."
                            + " If this is intended, run with --force or --max-changes, or raise member-sync.feeds.%s.max-changes",
                    plan.planned(), members, maxChanges, maxChanges.of(members), feed));
        }
        return Optional.empty();
    }
}
