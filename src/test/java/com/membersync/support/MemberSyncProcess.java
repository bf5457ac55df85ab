package com.membersync.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * member-sync started as its own JVM: as the container image starts it (the built jar extracted, with its AOT cache:
 * see {@link ContainerImage}), or from the built jar itself, as cron starts it ({@link #startJar}).
 */
public final class MemberSyncProcess {

    private static final Path JAR = Path.of("target", "member-sync.jar");

    private final Process process;
    private final Path output;

    private MemberSyncProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static MemberSyncProcess start(Path folder, Map<String, ?> settings, String... command) throws IOException {
        return start(folder, settings, List.of("-Xmx256m"), command);
    }

    /** @param jvmOptions options for the JVM, e.g. heap size and GC logging, after the image's own */
    public static MemberSyncProcess start(Path folder, Map<String, ?> settings, List<String> jvmOptions,
            String... command) throws IOException {
        ContainerImage image = ContainerImage.prepared();
        List<String> options = new ArrayList<>(image.jvmOptions());
        options.addAll(jvmOptions);
        return start(image.jar(), folder, settings, options, command);
    }

    /** {@code java -jar target/member-sync.jar}, for what only the jar itself does: its launcher's loader.path. */
    public static MemberSyncProcess startJar(Path folder, Map<String, ?> settings, List<String> jvmOptions,
            String... command) throws IOException {
        return start(jar(), folder, settings, jvmOptions, command);
    }

    /** The built jar; these tests run in {@code ./mvnw verify}, after {@code package}. */
    public static Path jar() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: these tests run in `./mvnw verify`, after `package`");
        }
        return JAR.toAbsolutePath();
    }

    /** @param jar the jar to run: the built one, or the same extracted as the container image runs it */
    public static MemberSyncProcess start(Path jar, Path folder, Map<String, ?> settings, List<String> jvmOptions,
            String... command) throws IOException {
        List<String> args = new ArrayList<>();
        args.add(ContainerImage.java());
        args.addAll(jvmOptions);
        args.addAll(List.of("-jar", jar.toString()));
        args.addAll(List.of(command));
        settings.forEach((k, v) -> args.add("--" + k + "=" + v));
        Path output = Files.createTempFile(folder, "process-", ".log");
        Process process = new ProcessBuilder(args).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new MemberSyncProcess(process, output);
    }

    /** SIGKILL: no shutdown hook, no cleanup, like an OOM kill or a node lost. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, like a pod eviction or Ctrl-C. */
    public void terminate() {
        process.destroy();
    }

    /** Waits until {@code moment} holds (true) or the process ends first (false); fails after {@code timeout}. */
    public boolean awaitOrExit(BooleanSupplier moment, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (moment.getAsBoolean()) {
                return true;
            }
            if (!alive()) {
                return false;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the moment never came:\n" + output());
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("member-sync did not finish within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
