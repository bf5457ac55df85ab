/**
 * Step one of the data path: reading the members, from a CSV file (opencsv and a byte scanner) or a query on the
 * members' database, with each row's fingerprint.
 */
package com.membersync.source;
