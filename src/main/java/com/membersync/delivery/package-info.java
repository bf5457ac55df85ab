/**
 * Step three: the deliver step, which sends the pending changes through the vendor's channel and records each
 * answer as it arrives. {@link DeliverStep} builds it.
 */
package com.membersync.delivery;
