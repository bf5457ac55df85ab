package com.membersync.connector.mayar;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.MayarSandbox;
import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Mayar feed synced end to end: PostgreSQL state store, the Mayar sandbox over HTTP, the real command line. */
class MayarSyncIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PRODUCT = "7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    private static final String TIER = "9b2d4f6a-8c1e-4a3b-bd5c-6e7f8a9b0c1d";
    private static final String HEADER = "memberId,productId,membershipTierId,membershipMonthlyPeriod,status,nextPayment,expiredAt\n";
    private static final String MEMBERS = HEADER
            + "MBR8X2QK," + PRODUCT + "," + TIER + ",1,active,2026-08-20T16:10:57.994+07:00,2026-09-20\n"
            + "MBR3J7PL," + PRODUCT + ",,,stopped,,\n"
            + "MBR5T9WX," + PRODUCT + ",,3,,2026-07-01,2026-07-01T08:00:00\n";

    private SyncFixture fixture;
    private MayarSandbox mayar;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("mayar");
        mayar = fixture.sandbox().mayar();
        Path csv = fixture.file("members.csv", MEMBERS);
        fixture.feed("members", "mayar", csv);
        fixture.settings().put("member-sync.feeds.members.zone", "Asia/Jakarta");
        // Mayar's own 20/min would make every test take minutes; the rate-limit tests set their own.
        fixture.settings().put("member-sync.vendors.mayar.rate-limit", "6000/min");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void firstRunPostsTheManagedFieldsWithUtcTimesAndASecondRunSendsNothing() throws Exception {
        ReportedRun first = fixture.report("run");

        assertThat(first.exitCode()).as(first.err()).isZero();
        List<RecordedRequest> posts = sortedPosts();
        assertThat(posts).extracting(RecordedRequest::path).containsExactly(
                "/hl/v2/memberships/members/MBR3J7PL/update",
                "/hl/v2/memberships/members/MBR5T9WX/update",
                "/hl/v2/memberships/members/MBR8X2QK/update");
        assertThat(posts).allSatisfy(p -> {
            assertThat(p.header("Authorization")).isEqualTo("Bearer mayar-sandbox-key");
            assertThat(p.header("Content-Type")).isEqualTo("application/json");
        });
        assertThat(body(posts.get(0))).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","status":"stopped"}"""));
        // Dates are midnight in the feed's zone (Asia/Jakarta, UTC+7); offset-less times are read there too.
        assertThat(body(posts.get(1))).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","membershipMonthlyPeriod":3,
                 "nextPayment":"2026-06-30T17:00:00Z","expiredAt":"2026-07-01T01:00:00Z"}"""));
        assertThat(body(posts.get(2))).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","membershipTierId":"9b2d4f6a-8c1e-4a3b-bd5c-6e7f8a9b0c1d",
                 "membershipMonthlyPeriod":1,"status":"active",
                 "nextPayment":"2026-08-20T09:10:57.994Z","expiredAt":"2026-09-19T17:00:00Z"}"""));
        assertThat(first.counts("members")).startsWith("read=3 unchanged=0 synced=3 rejected=0 refused=0 failed=0 pending=0");
        JsonNode stored = mayar.member("MBR8X2QK").orElseThrow();
        assertThat(stored.get("paymentLinkId").stringValue()).isEqualTo(PRODUCT);
        assertThat(stored.get("nextPayment").stringValue()).isEqualTo("2026-08-20T09:10:57.994Z");
        assertThat(stored.get("expiredAt").stringValue()).isEqualTo("2026-09-19T17:00:00.000Z");

        mayar.clearRequests();
        ReportedRun second = fixture.report("run");

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(mayar.requests()).isEmpty();
        assertThat(second.counts("members")).startsWith("read=3 unchanged=3 synced=0 rejected=0 refused=0 failed=0 pending=0");
    }

    @Test
    void theSameInstantWrittenInUtcIsNoChangeButANewStatusIsPostedForThatRowOnly() throws Exception {
        assertThat(fixture.run("run").exitCode()).isZero();
        mayar.clearRequests();
        fixture.file("members.csv", MEMBERS
                .replace("2026-08-20T16:10:57.994+07:00,2026-09-20", "2026-08-20T09:10:57.994Z,2026-09-19T17:00:00Z")
                .replace(",,stopped,,", ",,active,,"));

        CliRun third = fixture.run("run");

        assertThat(third.exitCode()).as(third.err()).isZero();
        List<RecordedRequest> posts = sortedPosts();
        assertThat(posts).extracting(RecordedRequest::path).containsExactly("/hl/v2/memberships/members/MBR3J7PL/update");
        assertThat(body(posts.getFirst())).isEqualTo(JSON.readTree("""
                {"productId":"7c9d2e1f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","status":"active"}"""));
        assertThat(mayar.member("MBR3J7PL").orElseThrow().get("status").stringValue()).isEqualTo("active");
    }

    @Test
    void aProductOfAnotherAccountIsRefusedWithMayarsMessage() throws Exception {
        fixture.file("members.csv", MEMBERS + "MBR2H6NV,foreign-0a1b2c3d,,,active,,\n");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.counts("members")).startsWith("read=4 unchanged=0 synced=3 rejected=0 refused=1 failed=0 pending=0");
        assertThat(mayar.member("MBR2H6NV")).isEmpty();
        CliRun failures = fixture.run("failures");
        assertThat(failures.exitCode()).isZero();
        assertThat(failures.out()).contains("line 5 key MBR2H6NV: refused productId: "
                + "You are not authorized to edit this product! (HTTP 400)");
    }

    @Test
    void anInvalidStatusIsRejectedBeforeSendingWithLineAndReason() throws Exception {
        fixture.file("members.csv", MEMBERS.replace(",,stopped,,", ",,paused,,"));
        fixture.settings().put("member-sync.feeds.members.max-rejected", "50%");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.counts("members")).startsWith("read=3 unchanged=0 synced=2 rejected=1 refused=0 failed=0 pending=0");
        assertThat(mayar.requests()).extracting(RecordedRequest::path)
                .noneMatch(path -> path.contains("MBR3J7PL"));
        CliRun failures = fixture.run("failures");
        assertThat(failures.out()).contains("line 3 key MBR3J7PL: rejected status: "
                + "'paused' is not one of active, finished, inactive, stopped");
    }

    @Test
    void aBlankProductIdOrAnEpochTimeIsRejectedNamingTheField() throws Exception {
        fixture.file("members.csv", HEADER
                + "MBR8X2QK," + PRODUCT + ",,,active,,\n"
                + "MBR3J7PL,,,,active,,\n"
                + "MBR5T9WX," + PRODUCT + ",,,,1787217057994,\n");
        fixture.settings().put("member-sync.feeds.members.max-rejected", "90%");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(sortedPosts()).extracting(RecordedRequest::path)
                .containsExactly("/hl/v2/memberships/members/MBR8X2QK/update");
        CliRun failures = fixture.run("failures");
        assertThat(failures.out()).contains("line 3 key MBR3J7PL: rejected productId: productId is required")
                .contains("line 4 key MBR5T9WX: rejected nextPayment: '1787217057994' is not a date or time");
    }

    @Test
    void aMemberMayarDoesNotKnowIsRefusedWithMayarsMessage() throws Exception {
        mayar.autoCreate(false);
        mayar.seed("MBR8X2QK", PRODUCT);
        mayar.seed("MBR5T9WX", PRODUCT);

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.counts("members")).startsWith("read=3 unchanged=0 synced=2 rejected=0 refused=1 failed=0 pending=0");
        assertThat(fixture.run("failures").out())
                .contains("line 3 key MBR3J7PL: refused memberId: Member dengan ID MBR3J7PL tidak ditemukan. (HTTP 404)");
    }

    @Test
    void aWrongApiKeyStopsTheFeedAndNamesTheSetting() throws Exception {
        fixture.settings().put("member-sync.vendors.mayar.api-key", "wrong-key");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("member-sync.vendors.mayar.api-key");
        assertThat(mayar.requests()).hasSizeLessThanOrEqualTo(2)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(401));
        assertThat(run.counts("members")).startsWith("read=3 unchanged=0 synced=0 rejected=0 refused=0 failed=0 pending=3");
        assertThat(run.out()).doesNotContain("wrong-key");
    }

    @Test
    void theDefaultRateLimitKeepsWithinMayarsTwentyPerMinute() throws Exception {
        fixture.settings().remove("member-sync.vendors.mayar.rate-limit");
        mayar.behaviour().rateLimit(20, Duration.ofMinutes(1));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<RecordedRequest> requests = mayar.requests();
        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        // 20 per minute, evenly spaced: one request every 3 seconds.
        for (int i = 1; i < requests.size(); i++) {
            assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
    }

    @Test
    void a429IsWaitedOutAndIsNotAFailure() throws Exception {
        StringBuilder many = new StringBuilder(HEADER);
        for (int i = 0; i < 6; i++) {
            many.append("MBR00").append(i).append(',').append(PRODUCT).append(",,,active,,\n");
        }
        fixture.file("members.csv", many.toString());
        mayar.behaviour().rateLimit(2, Duration.ofSeconds(1));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.counts("members")).startsWith("read=6 unchanged=0 synced=6 rejected=0 refused=0 failed=0 pending=0");
        assertThat(mayar.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(429));
        assertThat(mayar.members()).hasSize(6);
    }

    @Test
    void theSandboxRefusesEpochMillisAndOffsetTimesAndReadsWithPluralMessages() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI update = URI.create(fixture.sandbox().baseUrl("mayar") + "/hl/v2/memberships/members/MBR8X2QK/update");

        HttpResponse<String> epoch = post(http, update, """
                {"productId":"%s","nextPayment":1787217057994}""".formatted(PRODUCT));
        HttpResponse<String> offset = post(http, update, """
                {"productId":"%s","expiredAt":"2026-09-20T16:10:57+07:00"}""".formatted(PRODUCT));
        HttpResponse<String> noProduct = post(http, update, """
                {"status":"active"}""");
        HttpResponse<String> ok = post(http, update, """
                {"productId":"%s","nextPayment":"2026-08-20T09:10:57Z"}""".formatted(PRODUCT));

        assertThat(List.of(epoch, offset, noProduct)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("""
                    {"statusCode":400,"message":"Invalid request body"}"""));
        });
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode customer = JSON.readTree(ok.body()).path("data").path("membershipCustomer");
        assertThat(customer.propertyNames()).containsExactly("id", "memberId", "userId", "customerId",
                "membershipTierId", "paymentLinkId", "monthlyPaymentPeriod", "status", "nextPayment", "expiredAt",
                "createdAt", "updatedAt");
        assertThat(customer.get("nextPayment").stringValue()).isEqualTo("2026-08-20T09:10:57.000Z");

        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(fixture.sandbox().baseUrl("mayar")
                        + "/hl/v2/memberships/members/MBR0NONE?productId=" + PRODUCT))
                .header("Authorization", "Bearer " + MayarSandbox.DEFAULT_API_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(read.body())).isEqualTo(JSON.readTree("""
                {"statusCode":404,"messages":"Member dengan ID MBR0NONE tidak ditemukan."}"""));
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + MayarSandbox.DEFAULT_API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<RecordedRequest> sortedPosts() {
        return mayar.served("POST").stream().sorted(Comparator.comparing(RecordedRequest::path)).toList();
    }

    private static JsonNode body(RecordedRequest request) {
        return JSON.readTree(request.body());
    }
}
