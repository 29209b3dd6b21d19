package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
 * a {@link WeightLoadException} listing them all and loads nothing. A caller that knows some parts will
 * not line up (InterBERT starting from BERT: its image stream fresh, BERT's pooler discarded) says so
 * with {@link LoadExpectations}; those go into the report with their reasons, and strictness holds
 * for everything else.
 *
 * <p>Two checkpoint names that fill one tied module tensor (a decoder stored beside the word embeddings
 * it is tied to) must hold the same values: a file saved from the tied network always does, and one
 * tensor cannot take two different values, so a disagreement is refused rather than resolved by order.
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

    /** {@link #read} then {@link #load(Module, Map, boolean)}; a failure's message names the file. */
    public static LoadReport load(Module target, Path file, boolean strict) throws IOException {
        return load(target, file, LoadExpectations.NONE, strict);
    }

    /** {@link #read} then {@link #load(Module, Map, LoadExpectations, boolean)}; a failure's message names the file. */
    public static LoadReport load(Module target, Path file, LoadExpectations expect, boolean strict) throws IOException {
        Map<String, Tensor> checkpoint = read(file);
        try {
            return load(target, checkpoint, expect, strict);
        } catch (WeightLoadException e) {
            throw e.in(file);
        }
    }

    /**
     * Loads {@code checkpoint} into {@code target} in place (tensors keep their identity, values take
     * the module's dtype and device). Strict: anything missing, unexpected or mis-shaped throws, naming
     * all of it, before a single tensor is copied. Not strict: what fits is loaded and the rest reported.
     */
    public static LoadReport load(Module target, Map<String, Tensor> checkpoint, boolean strict) {
        return load(target, checkpoint, LoadExpectations.NONE, strict);
    }

    /**
     * As {@link #load(Module, Map, boolean)}, with the module names {@code expect} leaves fresh and the
     * checkpoint names it discards reported with their reasons instead of as missing or unexpected.
     */
    public static LoadReport load(Module target, Map<String, Tensor> checkpoint, LoadExpectations expect, boolean strict) {
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        checkpoint.forEach((n, t) -> shapes.put(n, t.shape()));
        NameAlignment.Plan plan = NameAlignment.plan(shapes, names(target), expect);
        if (strict && !plan.report().isClean()) throw new WeightLoadException(plan.report());
        checkTiedValues(checkpoint, plan);
        Map<String, Tensor> dict = new LinkedHashMap<>();
        plan.feed().forEach((moduleName, checkpointName) -> dict.put(moduleName, checkpoint.get(checkpointName)));
        target.loadStateDict(dict, false);
        return plan.report();
    }

    /** Every checkpoint name placed on a tied tensor fed from another name must hold that name's values. */
    private static void checkTiedValues(Map<String, Tensor> checkpoint, NameAlignment.Plan plan) {
        plan.report().loaded().forEach((name, at) -> {
            String from = plan.feed().get(at);
            if (from != null && !from.equals(name) && !sameValues(checkpoint.get(from), checkpoint.get(name)))
                throw new WeightLoadException("cannot load the checkpoint into " + plan.report().target() + " (nothing was loaded): '"
                        + name + "' and '" + from + "' fill one tensor of " + plan.report().target() + " (tied) but hold different values;"
                        + " a file saved from the tied network holds the same values under both", plan.report());
        });
    }

    /** Bit for bit (NaN equal to NaN), in the wider of the two dtypes. */
    static boolean sameValues(Tensor a, Tensor b) {
        if (a == b) return true;
        if (!Arrays.equals(a.shape(), b.shape()) || a.dtype().isFloating() != b.dtype().isFloating()) return false;
        if (!a.dtype().isFloating()) return Arrays.equals(a.toLongArray(), b.toLongArray());
        if (a.dtype() == DType.F64 || b.dtype() == DType.F64) return Arrays.equals(a.toDoubleArray(), b.toDoubleArray());
        return Arrays.equals(a.toFloatArray(), b.toFloatArray());
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
