package com.membersync.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The built-in vendor sandbox: each vendor's fake under its own path prefix on one local port, e.g.
 * {@code http://127.0.0.1:8089/hang} as Hang's base URL, and {@link AdminRoutes} under {@code /_admin}. Each
 * vendor serves several accounts under its prefix, told apart by their credentials; {@link #hang()},
 * {@link #decoda()} and {@link #mayar()} are the default ones, {@link #hang(String)} and the like the others.
 */
public final class SandboxServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final VendorAccounts<HangSandbox> hang;
    private final VendorAccounts<DecodaSandbox> decoda;
    private final VendorAccounts<MayarSandbox> mayar;
    private final Map<String, VendorAccounts<?>> accounts = new LinkedHashMap<>();

    private SandboxServer(HttpServer server, ExecutorService executor, Clock clock) {
        this.server = server;
        this.executor = executor;
        SplittableRandom random = new SplittableRandom(42);
        HangSandbox hangMain = new HangSandbox(clock, random.split());
        DecodaSandbox decodaMain = new DecodaSandbox(clock, random.split());
        MayarSandbox mayarMain = new MayarSandbox(clock, random.split());
        this.hang = add(new VendorAccounts<>(hangMain, hangMain::newAccount));
        this.decoda = add(new VendorAccounts<>(decodaMain, decodaMain::newAccount));
        this.mayar = add(new VendorAccounts<>(mayarMain, mayarMain::newAccount));
        server.createContext(AdminRoutes.PATH, new AdminRoutes(accounts));
    }

    /** Starts every vendor's fake on {@code port} (0 picks a free one) on the loopback address. */
    public static SandboxServer start(int port) throws IOException {
        return start("127.0.0.1", port, Clock.systemUTC());
    }

    public static SandboxServer start(String host, int port, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 512);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        SandboxServer sandbox = new SandboxServer(server, executor, clock);
        server.start();
        return sandbox;
    }

    private <V extends VendorSandbox> VendorAccounts<V> add(VendorAccounts<V> vendor) {
        accounts.put(vendor.vendor(), vendor);
        server.createContext("/" + vendor.vendor(), vendor);
        return vendor;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL to configure as {@code member-sync.vendors.<vendor>.base-url}, the same for all its accounts. */
    public URI baseUrl(String vendor) {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + "/" + vendor);
    }

    /** The sandbox's stand-in for the vendors' dashboards, e.g. {@code <admin>/decoda/memberships/{id}}. */
    public URI adminUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + AdminRoutes.PATH);
    }

    /** Each vendor's default account, by vendor name. */
    public Map<String, VendorSandbox> vendors() {
        Map<String, VendorSandbox> defaults = new LinkedHashMap<>();
        accounts.forEach((name, vendor) -> defaults.put(name, vendor.main()));
        return Collections.unmodifiableMap(defaults);
    }

    /** Every account of {@code vendor}, the default first. */
    public List<VendorSandbox> accounts(String vendor) {
        VendorAccounts<?> found = accounts.get(vendor);
        if (found == null) {
            throw new IllegalArgumentException("No vendor " + vendor + " in the sandbox; it has " + accounts.keySet());
        }
        return List.copyOf(found.all());
    }

    public HangSandbox hang() {
        return hang.main();
    }

    /** The Hang program {@code account} (API key {@code hang-sandbox-key-<account>}), created on first call. */
    public HangSandbox hang(String account) {
        return hang.account(account);
    }

    public DecodaSandbox decoda() {
        return decoda.main();
    }

    /** The Decoda tenant {@code account} ({@code TENANT: sandbox-tenant-<account>}), created on first call. */
    public DecodaSandbox decoda(String account) {
        return decoda.account(account);
    }

    public MayarSandbox mayar() {
        return mayar.main();
    }

    /** The Mayar account {@code account} (API key {@code mayar-sandbox-key-<account>}), created on first call. */
    public MayarSandbox mayar(String account) {
        return mayar.account(account);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
