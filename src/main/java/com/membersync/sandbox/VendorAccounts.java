package com.membersync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts of one vendor under its one path prefix: each request goes to the account whose credentials it
 * carries. Credentials of a new account's form (e.g. {@code hang-sandbox-key-brand-b}) create that account, so
 * rehearsals of several accounts need no code; any others go to the default account, which answers the vendor's
 * 401 or 400 and records them.
 */
final class VendorAccounts<V extends VendorSandbox> implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(VendorAccounts.class);
    /** What an account may be called: it becomes part of a key or tenant and of the admin route's query. */
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]*$");

    private final V main;
    private final Function<String, V> create;
    /** By name, the default account first; guarded by itself. */
    private final Map<String, V> accounts = new LinkedHashMap<>();

    VendorAccounts(V main, Function<String, V> create) {
        this.main = main;
        this.create = create;
        accounts.put(main.account(), main);
    }

    String vendor() {
        return main.name();
    }

    V main() {
        return main;
    }

    /** The account named {@code name}, created on first use. */
    V account(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("An account name is letters, digits, '.', '_' and '-', not " + name);
        }
        synchronized (accounts) {
            return accounts.computeIfAbsent(name, create);
        }
    }

    Optional<V> find(String name) {
        synchronized (accounts) {
            return Optional.ofNullable(accounts.get(name));
        }
    }

    /** Every account, the default first, then in the order they were created. */
    List<V> all() {
        synchronized (accounts) {
            return new ArrayList<>(accounts.values());
        }
    }

    /** Has the account whose credentials the request carries answer it. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            SandboxRequest request = SandboxRequest.read(exchange);
            route(request).answer(exchange, request);
        } catch (IOException | RuntimeException | Error e) {
            log.error("sandbox: failed to answer {}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    private VendorSandbox route(SandboxRequest request) {
        for (V account : all()) {
            if (account.carries(request)) {
                return account;
            }
        }
        String named = main.accountNamedBy(request);
        if (named != null && NAME.matcher(named).matches() && find(named).isEmpty()) {
            return account(named);
        }
        return main;
    }
}
