package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a model's weights and config sit, given what a user points at: a weight file alone, or a
 * folder as Hugging Face's {@code save_pretrained} and the original InterBERT's {@code from_pretrained}
 * lay one out ({@code config.json} beside {@code model.safetensors} or {@code pytorch_model.bin}).
 * Where a folder holds both weight files, safetensors is taken, as transformers does: it needs no
 * unpickling. Sharded checkpoints (an {@code *.index.json} over several files) are refused by name:
 * bert-base and InterBERT fit one file.
 *
 * @param weights the weight file to read
 * @param config  the folder's {@code config.json}, or null (a file given alone, or a folder without one)
 */
public record ModelFolder(Path weights, Path config) {
    /** The weight file names looked for in a folder, in order of preference. */
    public static final List<String> WEIGHT_FILES = List.of("model.safetensors", "pytorch_model.bin");
    public static final String CONFIG = "config.json";

    /** Resolves {@code path}: a file is the weights themselves; a folder must hold one of {@link #WEIGHT_FILES}. */
    public static ModelFolder of(Path path) throws IOException {
        if (!Files.isDirectory(path)) return new ModelFolder(path, null);
        Path config = Files.isRegularFile(path.resolve(CONFIG)) ? path.resolve(CONFIG) : null;
        for (String name : WEIGHT_FILES)
            if (Files.isRegularFile(path.resolve(name))) return new ModelFolder(path.resolve(name), config);
        for (String name : WEIGHT_FILES)
            if (Files.exists(path.resolve(name + ".index.json")))
                throw new CheckpointException(path, "holds a sharded checkpoint (" + name + ".index.json), which is not supported:"
                        + " save it as one file (bert-base and InterBERT fit one)");
        throw new CheckpointException(path, "a folder without weights: expected " + String.join(" or ", WEIGHT_FILES));
    }
}
