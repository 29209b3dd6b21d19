package dev.groundwork.engine.nn;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loading a name-to-tensor map into a module tree; the logic behind {@link Module#loadStateDict}. */
final class StateDictLoader {
    private StateDictLoader() {}

    /**
     * Compares {@code dict} with the module's state dict, then copies every entry whose name and shape
     * match into the module's tensors with {@code copy_}: the tensors stay the same objects (optimizers
     * and tied modules keep their references) and values are converted to the module's dtype and device.
     *
     * <p>Strict mode checks everything first and, if any name is missing, unexpected or of another shape,
     * throws one exception listing all of them and loads nothing. Non-strict mode loads what matches and
     * returns the rest; unlike torch it also skips shape mismatches instead of raising, so a caller can
     * reinitialise a resized head.
     */
    static LoadResult load(Module module, Map<String, Tensor> dict, boolean strict) {
        LinkedHashMap<String, Tensor> own = module.stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        List<String> mismatchDetails = new ArrayList<>();
        List<Map.Entry<Tensor, Tensor>> copies = new ArrayList<>();
        own.forEach((name, target) -> {
            Tensor src = dict.get(name);
            if (src == null) {
                missing.add(name);
            } else if (!Arrays.equals(src.shape(), target.shape())) {
                mismatched.add(name);
                mismatchDetails.add(name + ": module " + Shape.str(target.shape()) + ", given " + Shape.str(src.shape()));
            } else {
                copies.add(Map.entry(target, src));
            }
        });
        for (String name : dict.keySet()) if (!own.containsKey(name)) unexpected.add(name);
        LoadResult result = new LoadResult(missing, unexpected, mismatched);
        if (strict && !result.isClean())
            throw new IllegalArgumentException(message(module, missing, unexpected, mismatchDetails));
        // copy_ is outside autograd already; no-grad also keeps any dtype/device conversion off the graph.
        try (var s = GradMode.noGrad()) {
            for (Map.Entry<Tensor, Tensor> c : copies) c.getKey().copy_(c.getValue());
        }
        return result;
    }

    private static String message(Module module, List<String> missing, List<String> unexpected, List<String> mismatched) {
        StringBuilder sb = new StringBuilder("error loading state dict into ").append(module.getClass().getSimpleName())
                .append(" (nothing was loaded):");
        if (!missing.isEmpty()) sb.append("\n  missing keys (").append(missing.size()).append("): ").append(missing);
        if (!unexpected.isEmpty()) sb.append("\n  unexpected keys (").append(unexpected.size()).append("): ").append(unexpected);
        if (!mismatched.isEmpty()) sb.append("\n  size mismatches (").append(mismatched.size()).append("): ").append(mismatched);
        return sb.toString();
    }
}
