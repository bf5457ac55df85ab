package com.membersync.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by the build). */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = MemberSyncCli.class.getPackage().getImplementationVersion();
        return new String[] {"member-sync " + (version == null ? "(development build)" : version)};
    }
}
