package com.membersync;

import com.membersync.cli.MemberSyncCli;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** member-sync: keeps Hang, Decoda Health and Mayar memberships in step with a member list. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MemberSyncApplication {

    public static void main(String[] args) {
        System.exit(MemberSyncCli.execute(args));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
