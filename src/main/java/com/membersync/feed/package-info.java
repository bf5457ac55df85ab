/**
 * What every step shares about one feed: its resolved settings, the run's options, the context of its run, progress
 * and its report.
 */
package com.membersync.feed;
