package com.membersync.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The built-in vendor sandbox: each vendor's fake under its own path prefix on one local port, e.g.
 * {@code http://127.0.0.1:8089/hang} as Hang's base URL, and {@link AdminRoutes} under {@code /_admin}.
 */
public final class SandboxServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, VendorSandbox> vendors = new LinkedHashMap<>();

    private SandboxServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts every vendor's fake on {@code port} (0 picks a free one) on the loopback address. */
    public static SandboxServer start(int port) throws IOException {
        return start("127.0.0.1", port, Clock.systemUTC());
    }

    public static SandboxServer start(String host, int port, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 512);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        SandboxServer sandbox = new SandboxServer(server, executor);
        SplittableRandom random = new SplittableRandom(42);
        HangSandbox hang = sandbox.add(new HangSandbox(clock, random.split()));
        DecodaSandbox decoda = sandbox.add(new DecodaSandbox(clock, random.split()));
        MayarSandbox mayar = sandbox.add(new MayarSandbox(clock, random.split()));
        AdminRoutes admin = new AdminRoutes();
        admin.expose(hang.name(), "memberships", hang::membership, hang::edit);
        admin.expose(decoda.name(), "memberships", decoda::membership, decoda::edit);
        admin.expose(mayar.name(), "members", mayar::member, mayar::edit);
        server.createContext(AdminRoutes.PATH, admin);
        server.start();
        return sandbox;
    }

    private <V extends VendorSandbox> V add(V vendor) {
        vendors.put(vendor.name(), vendor);
        server.createContext("/" + vendor.name(), vendor);
        return vendor;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL to configure as {@code member-sync.vendors.<vendor>.base-url}. */
    public URI baseUrl(String vendor) {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + "/" + vendor);
    }

    /** The sandbox's stand-in for the vendors' dashboards, e.g. {@code <admin>/decoda/memberships/{id}}. */
    public URI adminUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + AdminRoutes.PATH);
    }

    public Map<String, VendorSandbox> vendors() {
        return Collections.unmodifiableMap(vendors);
    }

    public HangSandbox hang() {
        return (HangSandbox) vendors.get("hang");
    }

    public DecodaSandbox decoda() {
        return (DecodaSandbox) vendors.get("decoda");
    }

    public MayarSandbox mayar() {
        return (MayarSandbox) vendors.get("mayar");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
