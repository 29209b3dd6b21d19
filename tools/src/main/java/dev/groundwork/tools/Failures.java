package dev.groundwork.tools;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Turns an expected failure (missing file, unknown format, refused pickle, name clash) into one line
 * on stderr naming the file, and exit code 2. Stack traces are for bugs, not for bad input.
 */
final class Failures {
    static final int BAD_INPUT = 2;

    private Failures() {}

    /** "rank R of N: " in a multi-process run (set once at its start), so that each rank's lines can be told apart. */
    private static volatile String who = "";

    static void rank(int rank, int size) { who = "rank " + rank + " of " + size + ": "; }

    static String who() { return who; }

    static int report(CommandLine.Model.CommandSpec spec, Path file, Exception e) {
        if (e instanceof dev.groundwork.models.data.DataException d) {
            // Names its own file and record; a list of bad records stays one per line.
            spec.commandLine().getErr().println("gw " + spec.name() + ": " + who + d.getMessage());
            spec.commandLine().getErr().flush();
            return BAD_INPUT;
        }
        String msg = e instanceof NoSuchFileException ? file + ": no such file" : e.getMessage();
        if (msg == null) msg = e.getClass().getSimpleName();
        if (!msg.contains(file.toString()) && !msg.startsWith("rank ")) msg = file + ": " + msg;
        spec.commandLine().getErr().println("gw " + spec.name() + ": " + (msg.startsWith("rank ") ? "" : who) + msg.replace('\n', ' '));
        spec.commandLine().getErr().flush();
        return BAD_INPUT;
    }
}
