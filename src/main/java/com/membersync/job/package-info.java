/**
 * The Spring Batch wiring of plan, review and deliver into one job per feed, and the runner that runs the feeds
 * side by side, resumes them and works out how each ended.
 */
package com.membersync.job;
