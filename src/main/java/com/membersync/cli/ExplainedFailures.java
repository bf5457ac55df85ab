package com.membersync.cli;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Tells Spring Boot that a start-up failure is reported already, so that it logs no "Application run failed" with a
 * stack trace: the command line prints such a failure's message alone and exits with its code ({@link ExitCodes}).
 * A configuration error is one line naming the setting, not 56 lines of Spring's frames around it. Failures nobody
 * explained still get Spring Boot's report.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class ExplainedFailures implements SpringBootExceptionReporter {

    public ExplainedFailures(ConfigurableApplicationContext ignored) {
    }

    @Override
    public boolean reportException(Throwable failure) {
        return ExitCodes.explains(failure);
    }
}
