package com.membersync.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.support.CliRun;
import com.membersync.support.MemberSyncProcess;
import com.membersync.support.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What operators and their log collectors see: the JSON report, and no secrets or personal data where they don't belong. */
class OperationsIntegrationTests {

    private static final String API_KEY = "hk_live_7f3a9c1e5b2d4a6f";
    private static final String EMAIL = "joe.smith@example.com";
    private static final String PHONE_DIGITS = "7891234567";

    private SyncFixture fixture;
    private Path log;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture("operations");
        fixture.sandbox().hang().apiKey(API_KEY);
        fixture.settings().put("member-sync.vendors.hang.api-key", API_KEY);
        log = fixture.folder().resolve("member-sync.log");
        fixture.settings().put("logging.file.name", log);
        fixture.feed("members", "hang", fixture.file("members.csv", """
                program_membership_id,first_name,email,phone,birthday
                m1,Joe,joe.smith@example.com,(789) 123-4567,1989-02-25
                m2,Ana,ana@example.com,,
                """));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void theDemoShowsBothPassesAndNothingAUserWouldTakeForAFault() throws Exception {
        MemberSyncProcess demo = MemberSyncProcess.start(fixture.folder(), Map.of(), "demo");

        int exit = demo.waitFor(Duration.ofMinutes(2));

        assertThat(exit).as(demo.output()).isZero();
        assertThat(demo.output()).contains("== Pass 1", "== Pass 2").doesNotContain("WARN", "ERROR", "Exception");
    }

    @Test
    void theApiKeyAppearsNowhereInOutputLogsReportOrDatabase() throws Exception {
        Path report = fixture.folder().resolve("report.json");
        CliRun ok = fixture.run("run", "--report", report.toString());
        fixture.settings().put("member-sync.vendors.hang.api-key", "wrong-" + API_KEY.substring(3));
        fixture.file("members.csv", Files.readString(fixture.folder().resolve("members.csv")).replace("ana@", "ana2@"));
        CliRun refused = fixture.run("run", "--max-changes", "100%");
        CliRun status = fixture.run("status");
        CliRun failures = fixture.run("failures");

        assertThat(ok.exitCode()).isZero();
        assertThat(refused.exitCode()).isEqualTo(1);
        for (CliRun run : List.of(ok, refused, status, failures)) {
            assertThat(run.out() + run.err()).doesNotContain(API_KEY).doesNotContain(API_KEY.substring(3));
        }
        assertThat(refused.out()).contains("member-sync.vendors.hang.api-key");
        assertThat(Files.readString(log)).isNotEmpty().doesNotContain(API_KEY.substring(3));
        assertThat(Files.readString(report)).doesNotContain(API_KEY.substring(3));
        assertThat(everythingInTheDatabase()).doesNotContain(API_KEY.substring(3));
    }

    @Test
    void logsAndPreviewsMaskEmailsAndPhones() throws Exception {
        assertThat(fixture.run("run").exitCode()).isZero();
        fixture.file("members.csv", Files.readString(fixture.folder().resolve("members.csv"))
                .replace("joe.smith@example.com", "joe.smith@new.example.com").replace("ana@", "ana2@"));

        CliRun dryRun = fixture.run("run", "--dry-run");
        CliRun guarded = fixture.run("run");

        assertThat(guarded.exitCode()).isEqualTo(3);
        assertThat(dryRun.out()).contains("email j***@example.com -> j***@new.example.com");
        for (String output : List.of(dryRun.out() + dryRun.err(), guarded.out() + guarded.err(), Files.readString(log))) {
            assertThat(output).doesNotContain(EMAIL).doesNotContain("joe.smith@new").doesNotContain(PHONE_DIGITS)
                    .doesNotContain("1989-02-25");
        }
    }

    @Test
    void theReportIsTheDocumentedJson() throws Exception {
        Path report = fixture.folder().resolve("reports/run.json");

        CliRun run = fixture.run("run", "--report", report.toString());

        assertThat(run.exitCode()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(report));
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.get("exitCode").asInt()).isZero();
        assertThat(json.get("runId").asLong()).isPositive();
        assertThat(json.get("startedAt").asString()).endsWith("Z");
        JsonNode feed = json.get("feeds").get(0);
        assertThat(feed.get("feed").asString()).isEqualTo("members");
        assertThat(feed.get("vendor").asString()).isEqualTo("hang");
        assertThat(feed.get("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(List.of("read", "unchanged", "planned", "synced", "rejected", "refused", "failed", "pending"))
                .allSatisfy(field -> assertThat(feed.has(field)).as(field).isTrue());
        assertThat(feed.get("read").asLong()).isEqualTo(2);
        assertThat(feed.get("synced").asLong()).isEqualTo(2);
        assertThat(json.get("vendors").get("hang").get("requests").asLong()).isEqualTo(2);
        assertThat(json.get("vendors").get("hang").get("tooManyRequests").asLong()).isZero();
    }

    private String everythingInTheDatabase() {
        var jdbc = fixture.schema().jdbc();
        StringBuilder all = new StringBuilder();
        for (String table : jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", String.class,
                fixture.schema().name())) {
            for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM " + table)) {
                all.append(row).append('\n');
            }
        }
        assertThat(all).as("the dump holds the data").contains("member_key=m1");
        return all.toString();
    }
}
