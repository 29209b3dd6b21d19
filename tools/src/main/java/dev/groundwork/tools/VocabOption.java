package dev.groundwork.tools;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * {@code --vocab}: the WordPiece vocabulary every command with a BERT reads. Without the flag, the
 * bert-base-uncased vocabulary shipped beside the installation ({@link Installation}), whatever the
 * working directory; absent there too, a usage error that says where it looked and what to pass.
 */
final class VocabOption {
    static final String FILE = "bert-base-uncased-vocab.txt";

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "bert-base-uncased vocab.txt (default: shared/data/" + FILE + " beside the installation)")
    Path path;

    /** The given file, else the installation's; neither is a usage error. */
    Path path() {
        if (path != null) return path;
        Path found = Installation.find(FILE);
        if (found != null) return found;
        throw new ParameterException(command.commandLine(), "the bert-base-uncased vocabulary was not found (looked for "
                + Installation.candidates(FILE) + "); pass --vocab FILE, e.g. the vocab.txt of a Hugging Face bert-base-uncased folder");
    }
}
