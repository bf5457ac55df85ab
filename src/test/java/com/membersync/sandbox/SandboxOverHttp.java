package com.membersync.sandbox;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test of the sandbox over real HTTP: a fresh sandbox on a free port for each test, and a client for it. */
abstract class SandboxOverHttp {

    SandboxServer sandbox;
    SandboxHttp http;

    @BeforeEach
    final void startSandbox() throws IOException {
        sandbox = SandboxServer.start(0);
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    final void stopSandbox() {
        sandbox.close();
    }
}
