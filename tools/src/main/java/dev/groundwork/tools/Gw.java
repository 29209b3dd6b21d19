package dev.groundwork.tools;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.settings.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `gw` command line: one subcommand per job. */
@Command(name = "gw", mixinStandardHelpOptions = true, version = "gw 0.1.0",
        description = "Groundwork: train, evaluate, embed, search, convert and inspect checkpoints.",
        subcommands = {CommandLine.HelpCommand.class, InspectCommand.class, ConvertCommand.class, DataCommand.class,
                TrainCommand.class, DemoCommand.class, EvalCommand.class, EmbedCommand.class, SearchCommand.class, PlotCommand.class,
                LaunchCommand.class})
public final class Gw implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Read by the exception handler below; inherited, so it may follow any subcommand. */
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "print the stack trace of an unexpected failure (otherwise one line)")
    boolean debug;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        System.exit(execute(commandLine(), Settings.current(), args));
    }

    /** The command line with gw's handlers: usage errors as {@link UsageErrors}, unexpected failures as one line. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Gw());
        cl.setParameterExceptionHandler(new UsageErrors());
        cl.setExecutionExceptionHandler(Gw::unexpected);
        // gw launch passes everything after its own options to the processes it starts.
        cl.getSubcommands().get("launch").setStopAtPositional(true);
        return cl;
    }

    /**
     * Checks every {@code GW_*} variable first, so a bad value is one line and exit code 2 before any
     * work rather than a stack trace from deep inside the first op that reads it; then runs {@code args}.
     */
    static int execute(CommandLine cl, Settings settings, String... args) {
        try {
            settings.validate();
        } catch (SettingsException e) {
            cl.getErr().println("gw: " + e.getMessage());
            cl.getErr().flush();
            return Failures.BAD_INPUT;
        }
        return cl.execute(args);
    }

    /**
     * What no command turned into its own message: one line naming the exception, and the stack trace
     * only with --debug (bugs are reported with it; users should not have to read one).
     */
    private static int unexpected(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = parsed.hasMatchedOption("--debug") || cmd.getParseResult().hasMatchedOption("--debug")
                || java.util.Arrays.asList(parsed.originalArgs().toArray(new String[0])).contains("--debug");
        var err = cmd.getErr();
        if (debug) e.printStackTrace(err);
        else err.println("gw " + cmd.getCommandName() + ": " + Failures.who() + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + " (run again with --debug for the stack trace)");
        err.flush();
        return 1;
    }
}
