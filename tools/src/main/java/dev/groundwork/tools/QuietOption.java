package dev.groundwork.tools;

import dev.groundwork.models.train.Progress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;

/** {@code -q, --quiet}: no progress or stage logs on stderr; results (stdout) and errors stay. */
final class QuietOption {
    @Option(names = {"-q", "--quiet"}, description = "no progress, hand-off reports or epoch lines on stderr; results and errors only")
    boolean quiet;

    /** Where a command's logs go: stderr, or nowhere when quiet. */
    PrintStream log() { return quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.err; }

    /** A progress display labelled {@code label} on the command's error writer (the style is GW_PROGRESS's), or none when quiet. */
    Progress progress(CommandSpec spec, String label) { return new Progress(quiet ? null : spec.commandLine().getErr(), label); }
}
