package dev.groundwork.tools;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * {@code --vocab}: the WordPiece vocabulary every command with a BERT reads. Without the flag, the
 * bert-base-uncased vocabulary beside the installation ({@link Installation}), whatever the working
 * directory, else the copy the jar ships (Apache-2.0, Google's BERT release); a usage error only when
 * neither is there.
 */
final class VocabOption {
    static final String FILE = "bert-base-uncased-vocab.txt";

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "bert-base-uncased vocab.txt (default: shared/data/" + FILE + " beside the installation, else the copy gw.jar ships)")
    Path path;

    /** The given file, else the installation's; neither is a usage error. */
    Path path() {
        if (path != null) return path;
        Path found = Installation.find(FILE);
        if (found != null) return found;
        String why;
        try {
            found = Installation.shipped(FILE);
            if (found != null) return found;
            why = "and this gw.jar ships none";
        } catch (java.io.IOException e) {
            why = "and the copy this gw.jar ships could not be written to the cache: " + e.getMessage();
        }
        throw new ParameterException(command.commandLine(), "the bert-base-uncased vocabulary was not found (looked for "
                + Installation.candidates(FILE) + ", " + why + "); pass --vocab FILE, e.g. the vocab.txt of a Hugging Face bert-base-uncased folder");
    }
}
