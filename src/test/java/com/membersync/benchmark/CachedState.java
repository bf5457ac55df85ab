package com.membersync.benchmark;

import com.membersync.MemberSyncApplication;
import com.membersync.connector.RowResult;
import com.membersync.connector.VendorDefinition;
import com.membersync.source.CsvMemberReader;
import com.membersync.source.RowFingerprint;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.StateScope;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/** A benchmark's cached state, written straight into the state store: nights of syncing without their requests. */
final class CachedState {

    private CachedState() {}

    /**
     * Brings the cached state of {@code feed} at the Hang {@code account} up to date with the file, through the
     * project's own reader and normalisation; no fingerprints, as after an upgrade, so the next run diffs every row.
     */
    static void seed(Map<String, Object> settings, String feed, String account, Path csv) throws Exception {
        String[] args = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplication app = new SpringApplication(MemberSyncApplication.class);
        try (ConfigurableApplicationContext context = app.run(args)) {
            VendorDefinition hang = context.getBeansOfType(VendorDefinition.class).values().stream()
                    .filter(v -> v.name().equals("hang")).findFirst().orElseThrow();
            MemberStateRepository state = context.getBean(MemberStateRepository.class);
            StateScope scope = new StateScope(feed, account);
            CsvMemberReader reader = new CsvMemberReader("seed", csv, Map.of(),
                    new RowFingerprint(hang.keyField(), hang.fields(), hang.name()), () -> {});
            reader.open(new ExecutionContext());
            Map<String, ObjectNode> batch = new HashMap<>();
            while (reader.next()) {
                RowResult.Desired desired = (RowResult.Desired) hang.read(reader.row(), ZoneOffset.UTC);
                batch.put(desired.key(), desired.fields());
                if (batch.size() == 20_000) {
                    state.insertAll(scope, batch);
                    batch.clear();
                }
            }
            state.insertAll(scope, batch);
            reader.close();
        }
    }
}
