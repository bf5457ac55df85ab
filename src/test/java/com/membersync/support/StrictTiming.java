package com.membersync.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test judged by a sandbox gateway that counts requests over a window of one second, where the pacing's margin is
 * 30 ms. The build runs these after the other integration tests, one at a time in a JVM of their own on ZGC: a
 * second fork starting processes beside them, or a G1 pause, stalls a request for longer than that (80 ms and 138 ms
 * seen on two cores), and the gateway would count the stall, not the pacing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("strict-timing")
public @interface StrictTiming {}
