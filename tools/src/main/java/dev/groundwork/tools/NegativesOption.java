package dev.groundwork.tools;

import dev.groundwork.models.vgbert.GlobalNegatives;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Locale;

/** {@code --negatives global|local}: the contrastive stages' in-batch negatives when several processes train. */
final class NegativesOption {
    @Option(names = "--negatives", paramLabel = "global|local", defaultValue = "global",
            description = "under mpirun or gw launch: in-batch negatives from the whole global batch (global, as one process with the full"
                    + " batch) or from each process's own part (local, as the original's DataParallel replicas); default ${DEFAULT-VALUE}")
    String negatives;

    GlobalNegatives.Mode mode(CommandSpec spec) {
        return switch (negatives.toLowerCase(Locale.ROOT)) {
            case "global" -> GlobalNegatives.Mode.GLOBAL;
            case "local" -> GlobalNegatives.Mode.LOCAL;
            default -> throw new ParameterException(spec.commandLine(), "--negatives must be global or local, got '" + negatives + "'");
        };
    }
}
