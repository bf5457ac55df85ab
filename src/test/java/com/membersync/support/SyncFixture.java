package com.membersync.support;

import com.membersync.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an integration test needs to run member-sync for real: its own PostgreSQL schema, the vendor sandbox
 * over HTTP, a folder for input files, and the settings that tie them together.
 */
public final class SyncFixture implements AutoCloseable {

    private final TestDatabase.Schema schema;
    private final SandboxServer sandbox;
    private final Path folder;
    private final Map<String, Object> settings = new LinkedHashMap<>();

    public SyncFixture(String name) throws IOException {
        this.schema = TestDatabase.newSchema(name);
        this.sandbox = SandboxServer.start(0);
        this.folder = Files.createTempDirectory("member-sync-" + name);
        settings.put("spring.datasource.url", schema.url());
        settings.put("spring.datasource.username", schema.username());
        settings.put("spring.datasource.password", schema.password());
        sandbox.vendors().forEach((vendor, fake) -> {
            settings.put("member-sync.vendors." + vendor + ".base-url", sandbox.baseUrl(vendor));
            fake.credentials().forEach((k, v) -> settings.put("member-sync.vendors." + vendor + "." + k, v));
        });
    }

    public SandboxServer sandbox() {
        return sandbox;
    }

    public TestDatabase.Schema schema() {
        return schema;
    }

    public Path folder() {
        return folder;
    }

    /** The settings passed to every command; tests add feeds or override vendor settings here. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** Writes an input file (UTF-8) and returns its path. */
    public Path file(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** Declares a CSV feed. */
    public SyncFixture feed(String feed, String vendor, Path csv) {
        settings.put("member-sync.feeds." + feed + ".vendor", vendor);
        settings.put("member-sync.feeds." + feed + ".csv", csv.toString());
        return this;
    }

    public CliRun run(String... command) {
        return CliRun.of(List.of(command), settings);
    }

    @Override
    public void close() throws IOException {
        sandbox.close();
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
