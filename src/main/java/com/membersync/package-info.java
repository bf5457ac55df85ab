/**
 * member-sync keeps Hang, Decoda Health and Mayar memberships in step with a member list. The data path: {@code source}
 * → {@code plan} → {@code state} → {@code delivery} → {@code connector} ↔ {@code channel}; {@code job} wires the
 * steps, {@code cli} is the command line.
 */
package com.membersync;
