package dev.groundwork.models.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.engine.golden.GoldenCase;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.checkpoint.CheckpointNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A golden model case re-spelled the way checkpoints in the wild name the same tensors: its weights
 * renamed, and its gradient names in case.json and expected.safetensors renamed with them, so the
 * golden harness must read everything back under the new names. Derived only from cases written in
 * our modules' own names (no name any loader rule would rewrite), whatever their kind or sizes.
 */
record GoldenRespelling(String name, Predicate<Collection<String>> appliesTo, UnaryOperator<String> rename,
                        Extras extras) {

    /** Tensors a real file of that naming also holds, given the renamed weights. */
    interface Extras {
        Map<String, Tensor> of(Map<String, Tensor> renamed);
    }

    private static final Pattern VGG_FEATURE = Pattern.compile("image_model\\.(\\d+)\\.(.+)");

    /** DataParallel: every name under {@code module.}. */
    static final GoldenRespelling DATA_PARALLEL = new GoldenRespelling("dataparallel", names -> true, n -> "module." + n, w -> Map.of());

    /**
     * An old Hugging Face BERT file: {@code bert.} prefix, {@code LayerNorm.gamma/beta}, the position-id
     * buffer, and the MLM decoder stored beside the word embeddings it is tied to.
     */
    static final GoldenRespelling HF_LEGACY = new GoldenRespelling("hf-legacy",
            names -> names.stream().anyMatch(n -> n.endsWith("embeddings.word_embeddings.weight")),
            n -> "bert." + (n.endsWith("LayerNorm.weight") ? n.replaceAll("weight$", "gamma")
                    : n.endsWith("LayerNorm.bias") ? n.replaceAll("bias$", "beta") : n),
            w -> {
                Map<String, Tensor> extra = new LinkedHashMap<>();
                int positions = suffix(w, "embeddings.position_embeddings.weight").size(0);
                extra.put("bert.embeddings.position_ids", Tensor.arange(positions).to(DType.I64).reshape(1, positions));
                extra.put("cls.predictions.decoder.weight", suffix(w, "embeddings.word_embeddings.weight").detach());
                return extra;
            });

    /** HF legacy inside DataParallel. */
    static final GoldenRespelling HF_LEGACY_DATA_PARALLEL = new GoldenRespelling("dataparallel+hf-legacy", HF_LEGACY.appliesTo,
            n -> DATA_PARALLEL.rename.apply(HF_LEGACY.rename.apply(n)), HF_LEGACY.extras);

    /** torchvision VGG: the backbone as {@code features.N}, and torchvision's classifier beside it. */
    static final GoldenRespelling TORCHVISION = new GoldenRespelling("torchvision",
            names -> names.stream().anyMatch(n -> VGG_FEATURE.matcher(n).matches()),
            n -> VGG_FEATURE.matcher(n).replaceFirst("features.$1.$2"),
            w -> {
                Generator g = new Generator(5);
                return Map.of("classifier.0.weight", Tensor.randn(g, 4, 6), "classifier.0.bias", Tensor.randn(g, 4),
                        "classifier.6.bias", Tensor.randn(g, 3));
            });

    static final List<GoldenRespelling> ALL = List.of(DATA_PARALLEL, HF_LEGACY, HF_LEGACY_DATA_PARALLEL, TORCHVISION);

    /** Whether a case is written in our modules' own names, which the re-spellings start from. */
    static boolean plain(GoldenCase c) {
        return c.weights().keySet().stream().allMatch(n -> CheckpointNames.spellings(n).size() == 1);
    }

    /** Writes the re-spelled case into {@code out} (a new folder) and loads it. */
    GoldenCase write(GoldenCase c, Path out) throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        c.weights().forEach((n, t) -> weights.put(rename.apply(n), t));
        weights.putAll(extras.of(weights));
        return writeCase(c, out, weights, rename, c.grads());
    }

    /** The re-spelled case with {@code victim} (an original weight name) left out of weights, grads and expected values. */
    GoldenCase writeWithout(GoldenCase c, String victim, Path out) throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        c.weights().forEach((n, t) -> { if (!n.equals(victim)) weights.put(rename.apply(n), t); });
        weights.putAll(extras.of(weights));
        return writeCase(c, out, weights, rename, c.grads().stream().filter(g -> !g.equals(victim)).toList());
    }

    /** The re-spelled case with {@code victim}'s tensor one row longer (a scalar becomes two elements). */
    GoldenCase writeMisshaped(GoldenCase c, String victim, Path out) throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        c.weights().forEach((n, t) -> weights.put(rename.apply(n), n.equals(victim) ? grown(t) : t));
        weights.putAll(extras.of(weights));
        return writeCase(c, out, weights, rename, c.grads());
    }

    static int[] grownShape(int[] shape) {
        if (shape.length == 0) return new int[]{2};
        int[] s = shape.clone();
        s[0]++;
        return s;
    }

    private static Tensor grown(Tensor t) { return Tensor.zeros(DType.F32, t.device(), grownShape(t.shape())); }


    /** Writes the four files; a gradient is renamed when it names a weight (inputs keep their names). */
    private static GoldenCase writeCase(GoldenCase c, Path out, Map<String, Tensor> weights, UnaryOperator<String> rename,
                                        List<String> grads) throws IOException {
        UnaryOperator<String> namer = n -> c.weights().containsKey(n) ? rename.apply(n) : n;
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        ObjectNode spec = (ObjectNode) json.readTree(c.dir().resolve("case.json").toFile());
        ArrayNode g = spec.putArray("grads");
        grads.forEach(n -> g.add(namer.apply(n)));
        json.writerWithDefaultPrettyPrinter().writeValue(out.resolve("case.json").toFile(), spec);
        Files.copy(c.dir().resolve("inputs.safetensors"), out.resolve("inputs.safetensors"));
        TensorFiles.save(out.resolve("weights.safetensors"), weights);
        Map<String, Tensor> expected = new LinkedHashMap<>();
        c.expected().forEach((k, t) -> {
            expected.put(k.startsWith("grad.") ? "grad." + namer.apply(k.substring(5)) : k, t);
        });
        TensorFiles.save(out.resolve("expected.safetensors"), expected);
        return GoldenCase.load(out);
    }

    private static Tensor suffix(Map<String, Tensor> w, String suffix) {
        for (var e : w.entrySet()) if (e.getKey().endsWith(suffix)) return e.getValue();
        throw new IllegalArgumentException("no weight named *" + suffix + " among " + w.keySet());
    }

    @Override
    public String toString() { return name; }
}
