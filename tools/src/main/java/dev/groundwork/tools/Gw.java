package dev.groundwork.tools;

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
        System.exit(new CommandLine(new Gw()).execute(args));
    }
}
