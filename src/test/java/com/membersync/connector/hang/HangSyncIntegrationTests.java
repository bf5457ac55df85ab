package com.membersync.connector.hang;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.sandbox.RecordedRequest;
import com.membersync.support.CliRun;
import com.membersync.support.ReportedRun;
import com.membersync.support.SyncFixture;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Hang feed synced end to end: PostgreSQL state store, the Hang sandbox over HTTP, the real command line. */
class HangSyncIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HEADER = "program_membership_id,external_user_id,first_name,last_name,email,phone,birthday,family_member_birthdays\n";
    private static final String MEMBERS = HEADER
            + "m1,ext-1,Joe,Smith,Joe.Smith@Example.com,(789) 123-4567,1989-02-25,\"[{\"\"first_name\"\":\"\"Anna\"\",\"\"birthday\"\":\"\"2000-02-02\"\",\"\"status\"\":\"\"active\"\"},{\"\"first_name\"\":\"\"Mason\"\",\"\"last_name\"\":\"\"Smith\"\",\"\"birthday\"\":\"\"2002-01-01\"\",\"\"status\"\":\"\"active\"\"}]\"\n"
            + "m2,ext-2,,,ana@example.com,,,\n"
            + "m3,,Wei,Chen,,+14155550132,1985-11-30,\n";

    private SyncFixture fixture;
    private Path csv;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("hang");
        csv = fixture.file("members.csv", MEMBERS);
        fixture.feed("members", "hang", csv);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void firstRunSendsEachRowsManagedFieldsAndASecondRunSendsNothing() throws Exception {
        ReportedRun first = fixture.report("run");

        assertThat(first.exitCode()).as(first.err()).isZero();
        List<RecordedRequest> patches = sortedPatches();
        assertThat(patches).extracting(RecordedRequest::path).containsExactly(
                "/v2/program-memberships/m1", "/v2/program-memberships/m2", "/v2/program-memberships/m3");
        assertThat(patches).allSatisfy(p -> assertThat(p.header("X-API-Key")).isEqualTo("hang-sandbox-key"));
        assertThat(body(patches.get(0))).isEqualTo(JSON.readTree("""
                {"external_user_id":"ext-1","phone":"+17891234567","email":"joe.smith@example.com",
                 "first_name":"Joe","last_name":"Smith","birthday":"1989-02-25",
                 "family_member_birthdays":[
                   {"first_name":"Anna","birthday":"2000-02-02","status":"active"},
                   {"first_name":"Mason","last_name":"Smith","birthday":"2002-01-01","status":"active"}]}"""));
        assertThat(body(patches.get(1))).isEqualTo(JSON.readTree("""
                {"external_user_id":"ext-2","email":"ana@example.com"}"""));
        assertThat(body(patches.get(2))).isEqualTo(JSON.readTree("""
                {"first_name":"Wei","last_name":"Chen","phone":"+14155550132","birthday":"1985-11-30"}"""));
        assertThat(first.counts("members")).startsWith("read=3 unchanged=0 synced=3 rejected=0 refused=0 failed=0 pending=0");

        fixture.sandbox().hang().clearRequests();
        ReportedRun second = fixture.report("run");

        assertThat(second.exitCode()).isZero();
        assertThat(fixture.sandbox().hang().requests()).isEmpty();
        assertThat(second.counts("members")).startsWith("read=3 unchanged=3 synced=0 rejected=0 refused=0 failed=0 pending=0");
    }

    @Test
    void afterOneCellChangesExactlyThatRowIsPatchedWithItsManagedFields() throws Exception {
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.sandbox().hang().clearRequests();
        fixture.file("members.csv", MEMBERS.replace("ana@example.com", "ana.new@example.com"));

        CliRun third = fixture.run("run");

        assertThat(third.exitCode()).isZero();
        List<RecordedRequest> patches = sortedPatches();
        assertThat(patches).hasSize(1);
        assertThat(patches.getFirst().path()).isEqualTo("/v2/program-memberships/m2");
        assertThat(body(patches.getFirst())).isEqualTo(JSON.readTree("""
                {"external_user_id":"ext-2","email":"ana.new@example.com"}"""));
        assertThat(fixture.sandbox().hang().membership("m2").orElseThrow().get("email").stringValue())
                .isEqualTo("ana.new@example.com");
    }

    @Test
    void aMissingApiKeyStopsBeforeAnythingIsSentAndNamesTheSetting() {
        fixture.settings().put("member-sync.vendors.hang.api-key", "");

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(78);
        assertThat(run.err()).contains("member-sync.vendors.hang.api-key");
        assertThat(fixture.sandbox().hang().requests()).isEmpty();
    }

    @Test
    void aMissingInputFileExits66NamingTheFile() {
        fixture.feed("members", "hang", fixture.folder().resolve("nowhere.csv"));

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(66);
        assertThat(run.err()).contains("nowhere.csv");
    }

    @Test
    void aWrongApiKeyStopsTheFeedAfterAtMostTheRequestsInFlight() throws Exception {
        StringBuilder many = new StringBuilder(HEADER);
        for (int i = 0; i < 200; i++) {
            many.append("k").append(i).append(",ext-").append(i).append(",,,,,,\n");
        }
        fixture.file("members.csv", many.toString());
        fixture.settings().put("member-sync.vendors.hang.api-key", "wrong-key");
        fixture.settings().put("member-sync.vendors.hang.max-concurrency", 4);

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("member-sync.vendors.hang.api-key");
        assertThat(fixture.sandbox().hang().requests()).hasSizeLessThanOrEqualTo(4);
        assertThat(run.counts("members")).startsWith("read=200 unchanged=0 synced=0 rejected=0 refused=0 failed=0 pending=200");
    }

    @Test
    void aMembershipHangDoesNotKnowIsRefusedWithHangsMessage() throws Exception {
        fixture.sandbox().hang().autoCreate(false);
        fixture.sandbox().hang().seed("m1", JSON.createObjectNode());
        fixture.sandbox().hang().seed("m3", JSON.createObjectNode());

        ReportedRun run = fixture.report("run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.counts("members")).startsWith("read=3 unchanged=0 synced=2 rejected=0 refused=1 failed=0 pending=0");
        CliRun failures = fixture.run("failures");
        assertThat(failures.exitCode()).isZero();
        assertThat(failures.out()).contains("m2").contains("refused").contains("PROGRAM_MEMBERSHIP_NOT_FOUND")
                .contains("HTTP 404");
    }

    private List<RecordedRequest> sortedPatches() {
        return fixture.sandbox().hang().served("PATCH").stream()
                .sorted(Comparator.comparing(RecordedRequest::path)).toList();
    }

    private static JsonNode body(RecordedRequest request) {
        return JSON.readTree(request.body());
    }
}
