package com.membersync.config;

/** A setting is missing or wrong; the message names the property to fix. Exit code 78. */
public class ConfigurationProblem extends RuntimeException {

    private final String setting;

    public ConfigurationProblem(String setting, String message) {
        super(message.contains(setting) ? message : message + " (setting: " + setting + ")");
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
