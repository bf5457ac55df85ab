package com.membersync.cli;

import com.membersync.observability.PersonalData;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The command line. Arguments shaped like Spring properties ({@code --spring.x=...}, {@code --member-sync.x=...})
 * go to Spring; the rest is parsed here.
 */
@Command(name = "member-sync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Keeps Hang, Decoda Health and Mayar memberships in step with your member list.",
        subcommands = {RunCommand.class, StatusCommand.class, FailuresCommand.class, VerifyCommand.class, SandboxCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failed or stopped (run again to resume), 2 rows rejected or refused,",
                "3 stopped by the mass-change guard, 4 drift found by verify, 64 usage, 66 input missing,",
                "75 already running, 78 configuration."})
public final class MemberSyncCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static int execute(String... args) {
        List<String> springArgs = new ArrayList<>();
        List<String> ownArgs = new ArrayList<>();
        for (String arg : args) {
            if (isSpringProperty(arg)) {
                springArgs.add(arg);
            } else {
                ownArgs.add(arg);
            }
        }
        SpringContexts contexts = new SpringContexts(springArgs);
        CommandLine cli = new CommandLine(new MemberSyncCli(), new CommandFactory(contexts));
        cli.setParameterExceptionHandler((e, ignored) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("member-sync: " + e.getMessage());
            err.println("Try 'member-sync --help' or 'member-sync " + e.getCommandLine().getCommandName() + " --help'.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            ExitCodes.Failure failure = ExitCodes.of(e);
            commandLine.getErr().println("member-sync: " + PersonalData.mask(failure.message()));
            return failure.code();
        });
        return cli.execute(ownArgs.toArray(String[]::new));
    }

    /** {@code --name.with.dots=value}: a Spring Boot property given on the command line. */
    static boolean isSpringProperty(String arg) {
        if (!arg.startsWith("--")) {
            return false;
        }
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
        return eq > 0 && name.contains(".");
    }

    /** Hands each command the Spring context factory. */
    private record CommandFactory(SpringContexts contexts) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(SpringContexts.class).newInstance(contexts);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
