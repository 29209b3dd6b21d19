package dev.groundwork.tools;

import picocli.CommandLine.Option;

/** {@code --seed}: the one number a run's random draws derive from. */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "seed of every random draw: initialisation, dropout, data order, synthetic scenes (default ${DEFAULT-VALUE})")
    long seed;
}
