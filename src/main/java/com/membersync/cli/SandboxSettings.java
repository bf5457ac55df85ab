package com.membersync.cli;

import com.membersync.sandbox.SandboxServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The vendor settings that point member-sync at a running sandbox. */
record SandboxSettings(Map<String, Object> properties) {

    static SandboxSettings of(SandboxServer sandbox) {
        Map<String, Object> p = new LinkedHashMap<>();
        sandbox.vendors().forEach((name, vendor) -> {
            p.put("member-sync.vendors." + name + ".base-url", sandbox.baseUrl(name).toString());
            vendor.credentials().forEach((setting, value) -> p.put("member-sync.vendors." + name + "." + setting, value));
        });
        return new SandboxSettings(p);
    }

    List<String> asCommandLine() {
        List<String> lines = new ArrayList<>();
        properties.forEach((k, v) -> lines.add("--" + k + "=" + v));
        return lines;
    }
}
