/**
 * Stateful fakes of the three vendors' APIs, written from their documents, for tests, rehearsals and the demo.
 */
package com.membersync.sandbox;
