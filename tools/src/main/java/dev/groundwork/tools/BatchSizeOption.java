package dev.groundwork.tools;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -b, --batch-size}: images per batch for training, texts per batch for embedding. Each command states its
 * default through {@link CommandDefaults} ({@code gw train}: the stage's), so the help shows the value
 * that applies.
 */
final class BatchSizeOption {
    static final String NAME = "--batch-size";

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = {"-b", NAME}, paramLabel = "N", description = "images or texts per batch (default ${DEFAULT-VALUE})")
    Integer size;

    /** The size, which must be at least 1 (a usage error naming the flag otherwise). */
    int positive() {
        if (size == null || size < 1) throw new ParameterException(command.commandLine(), NAME + " must be a positive integer, got " + size);
        return size;
    }
}
