package com.membersync.support;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian's {@code chromium} package): the page as a person's browser builds it
 * ({@code --dump-dom}), and a picture of it ({@code --screenshot}). Every request the browser makes goes to a
 * {@link ConnectionTrap}, loopback included, so a page that loads anything is caught.
 */
public final class Chromium {

    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--proxy-bypass-list=<-loopback>",
            // Fewer of the browser's own calls home (network time, sign-in), which would reach the trap too.
            "--disable-features=NetworkTimeServiceQuerying", "--gaia-url=http://127.0.0.1:1",
            "--google-apis-url=http://127.0.0.1:1", "--lso-url=http://127.0.0.1:1");

    /**
     * What Chromium itself may still ask for at start whatever its flags (the component and extension updater, the
     * sign-in service): its own traffic, never a page's, which is asserted to ask for nothing at all.
     */
    private static final Pattern BROWSERS_OWN = Pattern.compile(
            "^(CONNECT|GET|POST) (https?://)?(update\\.googleapis\\.com|accounts\\.google\\.com|clients\\d*\\.google\\.com)[:/].*");

    private final Path binary;

    private Chromium(Path binary) {
        this.binary = binary;
    }

    /** The installed Chromium ({@code $CHROMIUM}, else {@code chromium} on the PATH); fails saying how to install it. */
    public static Chromium installed() {
        Optional<Path> found = Optional.ofNullable(System.getenv("CHROMIUM")).map(Path::of).filter(Files::isExecutable)
                .or(() -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, "chromium")).filter(Files::isExecutable).findFirst());
        if (found.isEmpty()) {
            fail("this test opens the page in a real browser, and no Chromium was found: install it with"
                    + " `apt-get install -y chromium` (.ci/run does when it is missing), or set CHROMIUM to its binary");
        }
        return new Chromium(found.get());
    }

    /** Whether a request the trap recorded is the browser's own rather than the page's. */
    public static boolean browsersOwn(String requestLine) {
        return BROWSERS_OWN.matcher(requestLine).matches();
    }

    /** The page's DOM after the browser loaded it, serialised. */
    public String dumpDom(Path page, ConnectionTrap trap) throws IOException, InterruptedException {
        return run(trap, List.of("--dump-dom", page.toUri().toString()));
    }

    /** A PNG of the page's first {@code width} by {@code height} pixels. */
    public void screenshot(Path page, Path png, int width, int height, ConnectionTrap trap)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(trap, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                page.toUri().toString()));
        if (!Files.exists(png)) {
            fail("Chromium wrote no screenshot to " + png);
        }
    }

    private String run(ConnectionTrap trap, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            command.add("--proxy-server=http://127.0.0.1:" + trap.port());
            command.addAll(args);
            Process chromium = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
                fail("Chromium did not finish within 60 s:\n" + Files.readString(err));
            }
            if (chromium.exitValue() != 0) {
                fail("Chromium exited " + chromium.exitValue() + ":\n" + Files.readString(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteQuietly(profile);
        }
    }

    /** The profile folder; a helper process still writing into it leaves a file behind in /tmp, no more. */
    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException stillInUse) {
            // left for the system's temporary-file cleanup
        }
    }
}
