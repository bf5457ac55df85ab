package com.membersync.support;

import com.membersync.cli.MemberSyncCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs member-sync's command line in this JVM, as an operator would, capturing what it prints. */
public record CliRun(int exitCode, String out, String err) {

    public static synchronized CliRun of(List<String> args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new TeeStream(out, originalOut), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new TeeStream(err, originalErr), true, StandardCharsets.UTF_8));
            int code = MemberSyncCli.execute(args.toArray(String[]::new));
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** {@code command}, then each setting as {@code --name=value}. */
    public static CliRun of(List<String> command, Map<String, ?> settings) {
        List<String> args = new ArrayList<>(command);
        settings.forEach((k, v) -> args.add("--" + k + "=" + v));
        return of(args);
    }

    /** Copies to the console too, so a failing test's output is visible in the build log. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
