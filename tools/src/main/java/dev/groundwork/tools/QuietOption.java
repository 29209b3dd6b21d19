package dev.groundwork.tools;

import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;

/** {@code -q, --quiet}: no progress or stage logs on stderr; results (stdout) and errors stay. */
final class QuietOption {
    @Option(names = {"-q", "--quiet"}, description = "no progress, hand-off reports or epoch lines on stderr; results and errors only")
    boolean quiet;

    /** Where a command's logs go: stderr, or nowhere when quiet. */
    PrintStream log() { return quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.err; }
}
