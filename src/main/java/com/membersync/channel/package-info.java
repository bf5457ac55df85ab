/**
 * The one road to a vendor, shared by its feeds: pacing within the rate limit, concurrency, 429s, retries with
 * backoff and a circuit breaker.
 */
package com.membersync.channel;
