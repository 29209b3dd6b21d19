package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one way weights get into a module, whatever wrote them: the golden harnesses, the stage
 * hand-offs ({@code --load-pretrained}), and the transfer model behind search and eval. Reads any
 * checkpoint file ({@link #read}), lines its names up with the module's ({@link NameAlignment}:
 * DataParallel, HF BERT and torchvision spellings, a nested place, tied decoders, non-persistent
 * buffers), then copies through {@link Module#loadStateDict}, the engine's exact-name primitive.
 *
 * <p>The {@link LoadReport} names everything by the checkpoint's own names: which module tensor each
 * one went into, and what is missing, unexpected or of another shape, all together. Strict mode throws
 * a {@link WeightLoadException} listing them all and loads nothing.
 *
 * <p>Resuming training reads our own checkpoints with {@link Module#loadStateDict} directly: they are
 * written from the same module's state dict, so any renaming there would only hide a changed model.
 */
public final class WeightLoader {
    private WeightLoader() {}

    /**
     * A file's weights as engine tensors, its format told by its first bytes: a Groundwork training
     * checkpoint gives its model part, a plain safetensors file or a {@code torch.save} file its tensors.
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        CheckpointFile f = CheckpointFile.open(file);
        if (f.format() == CheckpointFormat.SAFETENSORS && Checkpoint.FORMAT.equals(f.values().get("format")))
            return Checkpoint.load(file).model();
        return f.tensors();
    }

    /** {@link #read} then {@link #load(Module, Map, boolean)}. */
    public static LoadReport load(Module target, Path file, boolean strict) throws IOException {
        return load(target, read(file), strict);
    }

    /**
     * Loads {@code checkpoint} into {@code target} in place (tensors keep their identity, values take
     * the module's dtype and device). Strict: anything missing, unexpected or mis-shaped throws, naming
     * all of it, before a single tensor is copied. Not strict: what fits is loaded and the rest reported.
     */
    public static LoadReport load(Module target, Map<String, Tensor> checkpoint, boolean strict) {
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        checkpoint.forEach((n, t) -> shapes.put(n, t.shape()));
        NameAlignment.Plan plan = NameAlignment.plan(shapes, names(target));
        if (strict && !plan.report().isClean()) throw new WeightLoadException(plan.report());
        Map<String, Tensor> dict = new LinkedHashMap<>();
        plan.feed().forEach((moduleName, checkpointName) -> dict.put(moduleName, checkpoint.get(checkpointName)));
        target.loadStateDict(dict, false);
        return plan.report();
    }

    /** The module's state names and shapes, which names share one tensor, and its non-persistent buffers. */
    static NameAlignment.ModuleNames names(Module m) {
        LinkedHashMap<String, Tensor> state = m.stateDict();
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        Map<Tensor, String> first = new IdentityHashMap<>();
        Map<String, String> tiedTo = new LinkedHashMap<>();
        state.forEach((n, t) -> {
            shapes.put(n, t.shape());
            String owner = first.putIfAbsent(t, n);
            if (owner != null) tiedTo.put(n, owner);
        });
        Set<String> nonPersistent = new HashSet<>(m.namedBuffers().keySet());
        nonPersistent.removeAll(state.keySet());
        return new NameAlignment.ModuleNames(m.getClass().getSimpleName(), shapes, tiedTo, nonPersistent);
    }
}
