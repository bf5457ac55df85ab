/**
 * What member-sync knows of each vendor, one package each: its input columns and validation, its request and the
 * state its answer leaves.
 */
package com.membersync.connector;
