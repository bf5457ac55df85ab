/**
 * The settings under {@code member-sync.}: validated records, their defaults, and the check that refuses unknown
 * ones.
 */
package com.membersync.config;
