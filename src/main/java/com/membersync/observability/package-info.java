/**
 * What member-sync tells operators about failures: masking of personal data in text from outside, and the walk over
 * an exception's causes.
 */
package com.membersync.observability;
