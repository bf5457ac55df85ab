package com.membersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.support.CliRun;
import com.membersync.support.StrictTiming;
import com.membersync.support.SyncFixture;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rate-limit: auto} over HTTP: paced by what the vendor announces, or by its documented limit without. */
class RateLimitAutoIntegrationTests {

    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("autorate");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    @StrictTiming
    void followsTheLimitAGatewayAnnouncesWithoutA429() throws Exception {
        hangMembers(60);
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "auto");
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", 8);
        fixture.sandbox().hang().behaviour().rateLimit(20, Duration.ofSeconds(1)).announceRateLimit(true)
                .latency(Duration.ofMillis(20), Duration.ofMillis(40));

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(fixture.sandbox().hang().served("PATCH")).hasSize(60);
        assertThat(fixture.sandbox().hang().requests()).noneMatch(r -> r.status() == 429);
        assertThat(SyncFixture.maxInOneSecond(fixture.sandbox().hang())).as(() -> arrivals(run))
                .isLessThanOrEqualTo(20);
        assertThat(run.out() + run.err()).contains("the vendor announces 20 requests per 1 s; pacing at 20/s");
    }

    @Test
    @StrictTiming
    void aCeilingCapsTheAnnouncedLimit() throws Exception {
        hangMembers(20);
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "auto, at most 5/s");
        fixture.sandbox().hang().behaviour().rateLimit(40, Duration.ofSeconds(1)).announceRateLimit(true);

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(SyncFixture.maxInOneSecond(fixture.sandbox().hang())).as(() -> arrivals(run))
                .isLessThanOrEqualTo(5);
        assertThat(run.out() + run.err()).contains("pacing at 5/s");
    }

    @Test
    @StrictTiming
    void withoutAnnouncementsItPacesAtTheVendorsDocumentedLimitAndSaysWhichSettingChoosesAnother() throws Exception {
        hangMembers(15);
        fixture.settings().put("member-sync.vendors.hang.rate-limit", "auto");

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(fixture.sandbox().hang().served("PATCH")).hasSize(15);
        assertThat(SyncFixture.maxInOneSecond(fixture.sandbox().hang())).isLessThanOrEqualTo(10);
        assertThat(run.out() + run.err()).contains("carry no X-RateLimit-Limit/-Remaining/-Reset; pacing at 10/s")
                .contains("member-sync.vendors.hang.rate-limit");
    }

    @Test
    @StrictTiming
    void decodaFollowsItsTenantsAnnouncedLimitByDefault() throws Exception {
        StringBuilder csv = new StringBuilder("membership_id,name,price\n");
        for (int i = 0; i < 12; i++) {
            csv.append("mem_auto").append(i).append(",Plan ").append(i).append(",").append(1000 + i).append('\n');
        }
        fixture.feed("plans", "decoda", fixture.file("plans.csv", csv.toString()));
        fixture.sandbox().decoda().behaviour().rateLimit(6, Duration.ofSeconds(1));

        CliRun run = fixture.run("run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(fixture.sandbox().decoda().served("PUT")).hasSize(12);
        assertThat(fixture.sandbox().decoda().requests()).noneMatch(r -> r.status() == 429);
        assertThat(SyncFixture.maxInOneSecond(fixture.sandbox().decoda())).isLessThanOrEqualTo(6);
        assertThat(run.out() + run.err()).contains("decoda: rate-limit auto: the vendor announces 6 requests per 1 s");
    }

    /** When each request reached the gateway, and what it answered: what a window over the limit is made of. */
    private String arrivals(CliRun run) {
        return fixture.sandbox().hang().requests().stream().map(r -> r.at() + " " + r.path() + " " + r.status())
                .collect(Collectors.joining("\n", "", "\n")) + run.out() + run.err();
    }

    private void hangMembers(int count) throws Exception {
        fixture.feed("members", "hang", fixture.file("members.csv", SyncFixture.hangMembers("auto", count)));
    }
}
