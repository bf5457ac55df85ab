/**
 * {@code verify}: reads the members' live records from each vendor (in lists where the vendor has them), compares
 * every managed field with what member-sync last synced, lists the drift, and with {@code --repair} sends the synced
 * values back through the deliver step. Resumable like a run.
 */
package com.membersync.verify;
