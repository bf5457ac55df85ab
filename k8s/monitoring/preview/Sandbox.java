import com.membersync.sandbox.SandboxServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * member-sync's sandbox as the preview needs it: Hang's accounts answering at most 12 requests a second (the runs are
 * configured for 20/s, so Hang answers 429 and the accounts pause), every fake answering in 20 to 80 ms.
 * Run with the extracted jar on the class path: java -cp app/member-sync.jar Sandbox.java PORT
 */
public class Sandbox {

    public static void main(String[] args) throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(Integer.parseInt(args[0]))) {
            sandbox.hang().behaviour().rateLimit(12, Duration.ofSeconds(1));
            sandbox.vendors().values().forEach(vendor -> vendor.behaviour()
                    .latency(Duration.ofMillis(20), Duration.ofMillis(80)));
            System.out.println("sandbox listening on " + sandbox.port());
            System.out.flush();
            new CountDownLatch(1).await(); // until the preview kills it
        }
    }
}
