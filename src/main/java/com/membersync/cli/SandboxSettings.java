package com.membersync.cli;

import com.membersync.sandbox.SandboxServer;
import com.membersync.sandbox.VendorSandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The vendor settings that point member-sync at a running sandbox. */
record SandboxSettings(Map<String, Object> properties) {

    /** The default account of each vendor, configured under the vendor's own name. */
    static SandboxSettings of(SandboxServer sandbox) {
        Map<String, Object> p = new LinkedHashMap<>();
        sandbox.vendors().forEach((name, vendor) -> put(p, name, sandbox, vendor));
        return new SandboxSettings(p);
    }

    /**
     * Another account of a vendor configured as its own vendor {@code <vendor>-<account>} of that type, against
     * the same base URL with the account's credentials.
     */
    static SandboxSettings of(SandboxServer sandbox, VendorSandbox account) {
        Map<String, Object> p = new LinkedHashMap<>();
        String name = account.name() + "-" + account.account();
        p.put("member-sync.vendors." + name + ".type", account.name());
        put(p, name, sandbox, account);
        return new SandboxSettings(p);
    }

    private static void put(Map<String, Object> p, String name, SandboxServer sandbox, VendorSandbox account) {
        p.put("member-sync.vendors." + name + ".base-url", sandbox.baseUrl(account.name()).toString());
        account.credentials().forEach((setting, value) -> p.put("member-sync.vendors." + name + "." + setting, value));
    }

    List<String> asCommandLine() {
        List<String> lines = new ArrayList<>();
        properties.forEach((k, v) -> lines.add("--" + k + "=" + v));
        return lines;
    }
}
