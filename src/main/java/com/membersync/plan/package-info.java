/**
 * Step two: the plan step (validate each row, diff it against the cached state, store the changes to send in the
 * outbox) and the review step (dry run and mass-change guard). {@link PlanSteps} builds both.
 */
package com.membersync.plan;
