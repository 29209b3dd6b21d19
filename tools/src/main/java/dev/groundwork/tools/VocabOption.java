package dev.groundwork.tools;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --vocab}: the WordPiece vocabulary every command with a BERT reads. */
final class VocabOption {
    /** Relative to the repository root, where {@code ./gw} runs: shared/data beside the checkout. */
    static final String DEFAULT = "../shared/data/bert-base-uncased-vocab.txt";

    @Option(names = "--vocab", defaultValue = DEFAULT, paramLabel = "FILE", description = "bert-base-uncased vocab.txt (default ${DEFAULT-VALUE})")
    Path path;
}
