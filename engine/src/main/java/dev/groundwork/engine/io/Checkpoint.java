package dev.groundwork.engine.io;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training checkpoint in one safetensors file: model state under {@code model.<name>}, optimizer
 * state under {@code optimizer.<name>}, and in the header's metadata the step, the epoch, every
 * named random generator's (seed, offset) and free-form extras. Written atomically, so a crash
 * mid-write leaves the previous checkpoint intact; loading it and continuing on the CPU reproduces the
 * uninterrupted run bit for bit (the generators resume their exact streams).
 */
public record Checkpoint(Map<String, Tensor> model, Map<String, Tensor> optimizer, long step, int epoch,
                         Map<String, long[]> rng, Map<String, String> extra) {

    public static final String FORMAT = "groundwork-checkpoint-1";
    static final String MODEL = "model.", OPTIMIZER = "optimizer.";

    public Checkpoint {
        model = new LinkedHashMap<>(model);
        optimizer = new LinkedHashMap<>(optimizer);
        rng = new TreeMap<>(rng);
        extra = new TreeMap<>(extra);
    }

    /** Captures the generators' current states by name. */
    public static Map<String, long[]> states(Map<String, Generator> generators) {
        Map<String, long[]> m = new TreeMap<>();
        generators.forEach((k, g) -> m.put(k, g.state()));
        return m;
    }

    /** Restores the named generators; a generator missing from the checkpoint is an error. */
    public void restore(Map<String, Generator> generators) {
        generators.forEach((k, g) -> {
            long[] s = rng.get(k);
            if (s == null) throw new IllegalStateException("checkpoint has no state for random generator '" + k + "' (has " + rng.keySet() + ")");
            g.setState(s);
        });
    }

    /**
     * Writes the checkpoint atomically. Refuses ({@link NonFiniteTensorException}, nothing written) a
     * model or optimizer tensor holding NaN or infinity. Tensors are written in a canonical order (the
     * model's in its own order, the optimizer's sorted by name), so equal states give equal files
     * whatever order the optimizer created its state in.
     */
    public void save(Path path) throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.forEach((k, v) -> all.put(MODEL + k, v));
        new TreeMap<>(optimizer).forEach((k, v) -> all.put(OPTIMIZER + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("step", Long.toString(step));
        meta.put("epoch", Integer.toString(epoch));
        rng.forEach((k, s) -> meta.put("rng." + k, s[0] + "," + s[1]));
        extra.forEach((k, v) -> meta.put("extra." + k, v));
        TensorFiles.save(path, all, meta, true);
    }

    public static Checkpoint load(Path path) throws IOException {
        TensorFiles.Loaded f = TensorFiles.loadWithMetadata(path);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format")))
            throw new IOException(path + ": not a Groundwork checkpoint (metadata 'format' is " + meta.get("format") + ", expected " + FORMAT + ")");
        Map<String, Tensor> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> {
            if (k.startsWith(MODEL)) model.put(k.substring(MODEL.length()), v);
            else if (k.startsWith(OPTIMIZER)) opt.put(k.substring(OPTIMIZER.length()), v);
        });
        for (String k : f.tensors().keySet())
            if (!k.startsWith(MODEL) && !k.startsWith(OPTIMIZER))
                throw new IOException(path + ": tensor '" + k + "' belongs to neither model. nor optimizer.");
        Map<String, long[]> rng = new TreeMap<>();
        Map<String, String> extra = new TreeMap<>();
        for (var e : meta.entrySet()) {
            if (e.getKey().startsWith("rng.")) {
                String[] p = e.getValue().split(",");
                if (p.length != 2) throw new IOException(path + ": metadata '" + e.getKey() + "' must be 'seed,offset', got '" + e.getValue() + "'");
                rng.put(e.getKey().substring(4), new long[]{Long.parseLong(p[0].trim()), Long.parseLong(p[1].trim())});
            } else if (e.getKey().startsWith("extra.")) {
                extra.put(e.getKey().substring(6), e.getValue());
            }
        }
        return new Checkpoint(model, opt, parseLong(path, meta, "step"), (int) parseLong(path, meta, "epoch"), rng, extra);
    }

    private static long parseLong(Path path, Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        if (v == null) throw new IOException(path + ": checkpoint metadata lacks '" + key + "'");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException(path + ": checkpoint metadata '" + key + "' is not an integer: '" + v + "'");
        }
    }
}
