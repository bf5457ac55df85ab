/**
 * The command line: run, status, failures, sandbox and demo, their output and exit codes.
 */
package com.membersync.cli;
