package com.membersync.cli;

import com.membersync.sandbox.SandboxServer;
import com.membersync.sandbox.VendorSandbox;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Starts the built-in vendor sandbox (stateful fakes of the three APIs) for rehearsals.",
                "Prints each vendor's base URL and sandbox credentials, and the admin route that edits records",
                "as the vendors' dashboards do; stop it with Ctrl-C."})
final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "8089", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    SandboxCommand(SpringContexts ignored) {
    }

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (SandboxServer sandbox = SandboxServer.start(port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.println("member-sync sandbox is listening. Point member-sync at it with:");
            for (String line : SandboxSettings.of(sandbox).asCommandLine()) {
                System.out.println("  " + line);
            }
            System.out.println("A second account of a vendor is configured as a vendor of its own with the same base URL and"
                    + " credentials of this form (the sandbox creates the account on first use), e.g.:");
            for (VendorSandbox account : List.of(sandbox.hang("brand-b"), sandbox.decoda("uptown"), sandbox.mayar("outlet"))) {
                System.out.println("  " + String.join(" ", SandboxSettings.of(sandbox, account).asCommandLine()));
            }
            System.out.println("Change a record as if in the vendor's dashboard (GET shows it; ?account=N for another"
                    + " account; see the README):");
            System.out.println("  curl -X PATCH " + sandbox.adminUrl() + "/decoda/memberships/{id} -d '{\"textColor\": \"#C2185B\"}'");
            System.out.println("  and likewise " + sandbox.adminUrl() + "/hang/memberships/{id}, "
                    + sandbox.adminUrl() + "/mayar/members/{memberId}");
            System.out.println("Answer like a proxy's login page instead of the vendor (\"empty\", \"other-json\", \"other-id\";"
                    + " \"none\" turns it off):");
            System.out.println("  curl -X PUT " + sandbox.adminUrl() + "/hang/impostor -d '{\"answer\": \"html\", \"methods\": [\"PATCH\"]}'");
            System.out.flush();
            stopped.await();
        }
        return ExitCodes.OK;
    }
}
