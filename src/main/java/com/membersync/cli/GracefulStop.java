package com.membersync.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SIGTERM or Ctrl-C during a command that talks to the vendors: stop taking rows and starting requests, let the
 * requests in flight finish and be recorded for up to {@code member-sync.shutdown-grace}, then exit with the
 * command's own code (1 when it was cut short) rather than the signal's. The next command resumes.
 */
final class GracefulStop {

    private GracefulStop() {}

    /** Runs {@code work}, which returns the exit code, asking {@code stop} to stop it on a signal. */
    static int around(ConfigurableApplicationContext context, Runnable stop, Callable<Integer> work) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(ExitCodes.FAILED);
        Duration grace = context.getEnvironment().getProperty("member-sync.shutdown-grace", Duration.class,
                Duration.ofSeconds(20));
        Thread onSignal = new Thread(() -> {
            stop.run();
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            Runtime.getRuntime().halt(exitCode.get());
        }, "member-sync-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            int code = work.call();
            exitCode.set(code);
            return code;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it sees `finished` and returns
            }
        }
    }
}
