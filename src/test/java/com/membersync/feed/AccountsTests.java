package com.membersync.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.membersync.config.ConfigurationProblem;
import com.membersync.config.FeedProperties;
import com.membersync.config.MemberSyncProperties;
import com.membersync.config.RateGroup;
import com.membersync.config.VendorProperties;
import com.membersync.connector.VendorDefinition;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import tools.jackson.databind.json.JsonMapper;

class AccountsTests {

    private final Map<String, VendorDefinition> vendors = vendors();

    @Test
    void anAccountNamedLikeItsVendorNeedsNoTypeAndOthersAreOfTheirType() {
        Accounts accounts = accounts(Map.of("decoda-uptown", account("decoda", null, null)), "hang", "decoda-uptown");

        assertThat(accounts.get("hang", "x").vendor().name()).isEqualTo("hang");
        assertThat(accounts.get("hang", "x").settings().baseUrl()).hasToString("https://loyalty.hang.xyz/partner-api");
        assertThat(accounts.get("decoda-uptown", "x").vendor().name()).isEqualTo("decoda");
        assertThat(accounts.get("decoda-uptown", "x").settings().describe()).isEqualTo("account decoda-uptown (decoda)");
        assertThatThrownBy(() -> accounts.get("decoda-uptwn", "member-sync.feeds.f.vendor"))
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessageStartingWith("unknown account 'decoda-uptwn'; did you mean decoda-uptown?");
    }

    @Test
    void aVendorsNameWrittenInAnyCaseIsItsAccountAsBeforeAccountsExisted() {
        Accounts accounts = accounts(Map.of(), "Hang", "MAYAR");

        assertThat(accounts.get("Hang", "x").name()).isEqualTo("hang");
        assertThat(accounts.get("MAYAR", "x").vendor().name()).isEqualTo("mayar");
    }

    @Test
    void everyMayarAccountSharesMayarsGroupAndEachHangOrDecodaAccountIsAGroupOfItsOwn() {
        Accounts accounts = accounts(Map.of("mayar-kids", account("mayar", null, null),
                "decoda-uptown", account("decoda", null, null), "hang-b", account("hang", null, null)),
                "mayar", "decoda", "hang");

        RateGroup mayar = accounts.group(accounts.get("mayar-kids", "x").settings());
        assertThat(mayar.name()).isEqualTo("mayar");
        assertThat(mayar.accounts()).containsExactlyInAnyOrder("mayar", "mayar-kids");
        assertThat(accounts.group(accounts.get("decoda-uptown", "x").settings()).accounts()).containsExactly("decoda-uptown");
        assertThat(accounts.group(accounts.get("hang-b", "x").settings()).accounts()).containsExactly("hang-b");
    }

    @Test
    void aGroupPacesAtTheLowestLimitOfItsAccounts() {
        Accounts accounts = accounts(Map.of(
                "hang-a", account("hang", "50/s", "brands"),
                "hang-b", account("hang", "20/s", "brands"),
                "hang-c", account("hang", "3000/min", "brands")));

        RateGroup brands = accounts.group(accounts.get("hang-a", "x").settings());
        assertThat(brands.pace()).hasToString("20/s");
        assertThat(brands.accounts()).containsExactlyInAnyOrder("hang-a", "hang-b", "hang-c");
    }

    @Test
    void aGroupOfTwoVendorsOrOfSeveralAccountsPacedByAnnouncementsIsRefused() {
        assertThatThrownBy(() -> accounts(Map.of("hang-a", account("hang", null, "shared"),
                "mayar-a", account("mayar", null, "shared"))))
                .isInstanceOf(ConfigurationProblem.class).hasMessageContaining("rate-limit-group")
                .hasMessageContaining("has accounts at two vendors");
        assertThatThrownBy(() -> accounts(Map.of("decoda-a", account("decoda", null, "clinics"),
                "decoda-b", account("decoda", "10/s", "clinics"))))
                .isInstanceOf(ConfigurationProblem.class).hasMessageContaining("member-sync.vendors.decoda-a.rate-limit")
                .hasMessageContaining("auto");
    }

    @Test
    void anApiKeyTravelsInClearOnlyToALoopbackHost() {
        for (String loopback : List.of("http://127.0.0.1:8089/hang", "http://localhost/x", "http://[::1]:9/",
                "http://127.10.0.3/", "https://loyalty.hang.xyz")) {
            assertThat(accounts(Map.of("hang", withUrl(loopback)), "hang").get("hang", "x").settings().baseUrl())
                    .as(loopback).isNotNull();
        }
        for (String clear : List.of("http://loyalty.hang.xyz/partner-api", "http://10.0.0.5/", "http://127.0.0.1.evil.example/",
                "http://localhost.evil.example/", "HTTP://proxy.corp/")) {
            assertThatThrownBy(() -> accounts(Map.of("hang", withUrl(clear)), "hang")).as(clear)
                    .isInstanceOf(ConfigurationProblem.class)
                    .hasMessageContaining("member-sync.vendors.hang.base-url").hasMessageContaining("in clear");
        }
    }

    private Accounts accounts(Map<String, VendorProperties> configured, String... used) {
        Map<String, FeedProperties> feeds = new LinkedHashMap<>();
        MemberSyncProperties properties = new MemberSyncProperties(new LinkedHashMap<>(configured), feeds, null, 100,
                Duration.ofSeconds(1));
        return new Accounts(properties, vendors, List.of(used), name -> null);
    }

    private static VendorProperties account(String type, String rateLimit, String group) {
        return new VendorProperties(type, null, "key", "tenant", rateLimit, group, null, null, null);
    }

    private static VendorProperties withUrl(String url) {
        return new VendorProperties(null, URI.create(url), "key", null, null, null, null, null, null);
    }

    /** The three vendors' definitions, as the application wires them. */
    private static Map<String, VendorDefinition> vendors() {
        try (var context = new AnnotationConfigApplicationContext()) {
            context.registerBean(JsonMapper.class, () -> JsonMapper.builder().build());
            context.scan("com.membersync.connector");
            context.refresh();
            Map<String, VendorDefinition> byName = new LinkedHashMap<>();
            context.getBeansOfType(VendorDefinition.class).values().forEach(v -> byName.put(v.name(), v));
            return byName;
        }
    }
}
