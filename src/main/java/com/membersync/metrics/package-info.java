/**
 * member-sync's Micrometer meters, pushed to a Prometheus Pushgateway when a run ends.
 */
package com.membersync.metrics;
