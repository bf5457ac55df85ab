package com.membersync.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** One warning line when the state store is the embedded fallback rather than a configured database. */
@Component
class EmbeddedStoreNotice {

    static final String EMBEDDED_URL_PREFIX = "jdbc:h2:file:";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreNotice.class);

    private final Environment environment;

    EmbeddedStoreNotice(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfEmbedded() {
        String url = environment.getProperty("spring.datasource.url", "");
        if (url.startsWith(EMBEDDED_URL_PREFIX)) {
            log.warn("No spring.datasource.url set: using the embedded state store in {}; set spring.datasource.url to a PostgreSQL database for production",
                    url.substring(EMBEDDED_URL_PREFIX.length()).split(";")[0]);
        }
    }
}
