package com.membersync.cli;

import com.membersync.MemberSyncApplication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Spring application for commands that need the state store. Every Spring Boot property source
 * works: {@code application.yml} beside the jar, environment variables, {@code -D} and {@code --name=value}
 * arguments.
 */
final class SpringContexts {

    /** With no spring.datasource.url, the embedded store under ./.member-sync/ (PostgreSQL mode). */
    static final String EMBEDDED_STORE = "jdbc:h2:file:./.member-sync/state;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private final List<String> springArgs;

    SpringContexts(List<String> springArgs) {
        this.springArgs = springArgs;
    }

    ConfigurableApplicationContext open() {
        return open(Map.of());
    }

    /**
     * For commands that only read the state store ({@code status}, {@code failures}): they push no metrics, which
     * would replace the last run's figures in the Pushgateway with empty ones.
     */
    ConfigurableApplicationContext openWithoutMetrics() {
        return open(Map.of("management.prometheus.metrics.export.pushgateway.enabled", false));
    }

    /**
     * For {@code verify}: its metrics (what it found) go to the Pushgateway in a group of their own,
     * {@code command="verify"}, so they never replace the last run's series.
     */
    ConfigurableApplicationContext openForVerify() {
        return open(Map.of("management.prometheus.metrics.export.pushgateway.grouping-key.command", "verify"));
    }

    /**
     * @param overrides properties that win over every other source (the demo's own, isolated setup)
     */
    ConfigurableApplicationContext open(Map<String, Object> overrides) {
        SpringApplication application = new SpringApplication(MemberSyncApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        Map<String, Object> all = new HashMap<>();
        all.put("spring.datasource.url", EMBEDDED_STORE);
        application.setDefaultProperties(all);
        List<String> args = new ArrayList<>(springArgs);
        overrides.forEach((name, value) -> args.add("--" + name + "=" + value));
        return application.run(args.toArray(String[]::new));
    }
}
