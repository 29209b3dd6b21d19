package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.WeightLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stage hand-offs (§6.3). The original loads with strict=False and never looks at the result, so a
 * wrong file loads nothing silently (§9.6); here every hand-off names the groups that MUST load
 * completely and the groups the source may carry that are dropped, and anything else is an error.
 */
public final class Handoff {
    private Handoff() {}

    /** What a hand-off requires and tolerates. */
    public record Rule(String name, List<String> required, List<String> dropped) {}

    /** 1 -> 2, applied to the stage-2 model's {@code image_model}: backbone, embedder, attention; the ImageNet classifier is dropped. */
    public static final Rule VISUAL = new Rule("stage 1 -> 2", List.of("image_model", "embedder", "attention"), List.of("classifier"));
    /** 2 -> 3: visual stream and BERT; the stage-2 projection heads are dropped. */
    public static final Rule TWO_STREAM = new Rule("stage 2 -> 3", List.of("image_model", "language_model"),
            List.of("image_projection_head", "language_projection_head"));
    /** 3 -> transfer: everything but the object classifier; the heads start fresh (§5.1, §9.5: from stage 3). */
    public static final Rule RELATIONAL = new Rule("stage 3 -> transfer", List.of("image_model", "language_model", "cross_attention_model"),
            List.of("object_classifier"));

    /** Reads weights through {@link WeightLoader#read}: a Groundwork checkpoint's model part, a plain safetensors file, or a PyTorch file. */
    public static Map<String, Tensor> read(Path file) throws IOException { return WeightLoader.read(file); }

    /** Loads {@code source} into {@code target} under {@code rule}; returns a one-line summary, throws when the rule is broken. */
    public static String load(Module target, Map<String, Tensor> source, Rule rule) {
        LoadReport r = WeightLoader.load(target, source, false);
        List<String> problems = new ArrayList<>();
        List<String> missing = r.missing().stream().filter(k -> under(k, rule.required())).toList();
        if (!missing.isEmpty()) problems.add(missing.size() + " required tensor(s) missing, e.g. " + head(missing));
        if (!r.mismatched().isEmpty()) problems.add("shape mismatch for " + head(r.mismatched().stream().map(String::valueOf).toList()));
        // An unexpected name is judged under the spelling it was read as (DataParallel prefix gone).
        List<String> unexpected = r.unexpected().entrySet().stream().filter(e -> !under(e.getValue(), rule.dropped())).map(Map.Entry::getKey).toList();
        if (!unexpected.isEmpty()) problems.add(unexpected.size() + " unexpected tensor(s), e.g. " + head(unexpected));
        if (!problems.isEmpty())
            throw new IllegalArgumentException(rule.name() + " hand-off: " + String.join("; ", problems));
        long loaded = target.stateDict().size() - r.missing().size();
        return rule.name() + ": loaded " + loaded + " tensors (" + String.join(", ", rule.required()) + "), "
                + r.missing().size() + " fresh, " + (r.unexpected().size() + r.dropped().size()) + " dropped";
    }

    private static boolean under(String key, List<String> prefixes) {
        for (String p : prefixes) if (key.equals(p) || key.startsWith(p + ".")) return true;
        return false;
    }

    private static String head(List<String> l) { return l.size() <= 3 ? l.toString() : l.subList(0, 3) + " ..."; }
}
