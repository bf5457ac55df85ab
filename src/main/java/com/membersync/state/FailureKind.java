package com.membersync.state;

/** Why a row did not sync: invalid input, refused by the vendor (4xx), or failed after every retry. */
public enum FailureKind {
    REJECTED, REFUSED, FAILED
}
