package com.membersync.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * member-sync as the container image runs it (see the Dockerfile): the built jar extracted by Spring Boot's tools to
 * a plain class path, a JDK AOT cache recorded by a training run of {@code demo}, and the ENTRYPOINT's JVM options.
 * It starts in about half the time of {@code java -jar}, which matters to the tests that start dozens of processes.
 * Prepared once per built jar under {@code target/image/}; a file lock keeps the build's test JVMs from preparing it
 * twice at once.
 *
 * @param jar the extracted application jar (its manifest's class path names the libraries beside it)
 * @param jvmOptions what the ENTRYPOINT puts between {@code java} and {@code -jar}, with this image's cache
 */
public record ContainerImage(Path jar, List<String> jvmOptions) {

    private static final String CACHE_IN_IMAGE = "/app/member-sync.aot";
    /** The AOT cache is recorded in one run ({@code -XX:AOTCacheOutput}) from JDK 25 on (JEP 514). */
    private static final boolean AOT = Runtime.version().feature() >= 25;
    private static ContainerImage prepared;

    /** The image of the jar {@code ./mvnw package} built, prepared if this build has not yet. */
    public static synchronized ContainerImage prepared() {
        if (prepared == null) {
            try {
                prepared = prepare(MemberSyncProcess.jar());
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare the image of " + MemberSyncProcess.jar() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return prepared;
    }

    private static ContainerImage prepare(Path built) throws IOException, InterruptedException {
        // one folder per built jar, so that a rebuilt jar is never run with a cache recorded for the last one
        Path home = Files.createDirectories(built.getParent().resolve("image"));
        Path app = home.resolve(Files.size(built) + "-" + Files.getLastModifiedTime(built).toMillis());
        Path jar = app.resolve("member-sync.jar");
        Path cache = app.resolve("member-sync.aot");
        List<String> options = entrypointOptions().stream()
                .filter(option -> AOT || !option.startsWith("-XX:AOTCache"))
                .map(option -> option.replace(CACHE_IN_IMAGE, cache.toString()))
                .toList();
        Path ready = app.resolve("ready");
        try (FileChannel lockFile = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (!Files.exists(ready)) {
                Files.createDirectories(app);
                String java = java();
                run(app, java, "-Djarmode=tools", "-jar", built.toString(), "extract", "--force", "--destination",
                        app.toString());
                if (AOT) {
                    run(app, java, "-Xmx256m", "-XX:AOTCacheOutput=" + cache, "-jar", jar.toString(), "demo");
                    List<String> check = new ArrayList<>(List.of(java));
                    check.addAll(options);
                    check.addAll(List.of("-jar", jar.toString(), "--help"));
                    String help = run(app, check.toArray(String[]::new));
                    if (help.contains("[aot]")) {
                        throw new IllegalStateException("the JVM refused the AOT cache it recorded:\n" + help);
                    }
                }
                Files.writeString(ready, "");
            }
        }
        return new ContainerImage(jar, options);
    }

    /** The JVM options of the Dockerfile's ENTRYPOINT: what stands between "java" and "-jar". */
    private static List<String> entrypointOptions() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[(.*)]\\s*$").matcher(dockerfile);
        if (!entrypoint.find()) {
            throw new IllegalStateException("the Dockerfile has no exec-form ENTRYPOINT");
        }
        List<String> words = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1)).results()
                .map(m -> m.group(1)).toList();
        return words.subList(1, words.indexOf("-jar"));
    }

    /** The java of the JVM running the tests: the cache is only good for the JVM that recorded it. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String run(Path folder, String... command) throws IOException, InterruptedException {
        Path log = folder.resolve("prepare.log");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        String output = Files.readString(log);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ":\n" + output);
        }
        return output;
    }
}
