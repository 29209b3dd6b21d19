package dev.groundwork.tools;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.settings.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `gw` command line: one subcommand per job. */
@Command(name = "gw", mixinStandardHelpOptions = true, version = "gw 0.1.0",
        description = "Groundwork: train, evaluate, search, convert and inspect checkpoints.",
        subcommands = {CommandLine.HelpCommand.class, InspectCommand.class, ConvertCommand.class, DataCommand.class,
                TrainCommand.class, DemoCommand.class, EvalCommand.class, SearchCommand.class, PlotCommand.class})
public final class Gw implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        System.exit(execute(new CommandLine(new Gw()), Settings.current(), args));
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
}
