package com.membersync.source;

import com.membersync.config.MemberSyncProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The members' database for query feeds. Registered as a {@link SourceDatabase}, never as a {@code DataSource}: a
 * second DataSource bean would make Spring Boot back off from configuring the state store. Its pool opens on
 * first use and closes with the context.
 */
@Configuration(proxyBeanMethods = false)
class SourceDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    SourceDatabase sourceDatabase(MemberSyncProperties properties) {
        return new SourceDatabase(properties.source());
    }
}
