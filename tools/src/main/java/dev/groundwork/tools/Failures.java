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

    static int report(CommandLine.Model.CommandSpec spec, Path file, Exception e) {
        if (e instanceof dev.groundwork.models.data.DataException d) {
            // Names its own file and record; a list of bad records stays one per line.
            spec.commandLine().getErr().println("gw " + spec.name() + ": " + d.getMessage());
            spec.commandLine().getErr().flush();
            return BAD_INPUT;
        }
        String msg = e instanceof NoSuchFileException ? file + ": no such file" : e.getMessage();
        if (msg == null) msg = e.getClass().getSimpleName();
        if (!msg.contains(file.toString())) msg = file + ": " + msg;
        spec.commandLine().getErr().println("gw " + spec.name() + ": " + msg.replace('\n', ' '));
        spec.commandLine().getErr().flush();
        return BAD_INPUT;
    }
}
