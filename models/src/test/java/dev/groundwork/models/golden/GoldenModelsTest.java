package dev.groundwork.models.golden;

import dev.groundwork.engine.golden.GoldenCase;
import dev.groundwork.engine.golden.GoldenCheck;
import dev.groundwork.engine.golden.GoldenDevices;
import dev.groundwork.engine.golden.GoldenTests;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.WeightLoader;
import dev.groundwork.models.vgbert.CrossAttention;
import dev.groundwork.models.vision.Vgg16Attention;
import dev.groundwork.models.vision.VisualConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every case under $GW_GOLDEN/models, $GW_GOLDEN/interbert/ops and $GW_GOLDEN/interbert/models, one test per case and device (CPU; CUDA skipped with the reason
 * where absent), and every case under $GW_GOLDEN/eval on the CPU ({@link EvalGolden}); an unknown kind fails. Each network is built, loaded strictly from the case's weights,
 * and its own parameter tensors are put back into the environment under the checkpoint names, so the
 * gradients GoldenCheck reads are the ones the model made.
 */
class GoldenModelsTest {

    static Map<String, Tensor> model(GoldenCase c, Device device, Map<String, Tensor> env) {
        var cfg = c.config();
        Generator gen = new Generator(0);
        return switch (c.kind()) {
            case "bert" -> {
                BertModel m = bind(new BertModel(BertConfig.fromJson(cfg), gen), c, device, env);
                BertModel.Output o = m.forward(env.get("input_ids"), env.get("token_type_ids"), env.get("attention_mask"));
                yield Map.of("last_hidden_state", o.lastHiddenState(), "pooler_output", o.pooledOutput());
            }
            case "vgg16_attention" -> {
                Vgg16Attention m = bind(new Vgg16Attention(VisualConfig.fromJson(cfg, 0.1), gen), c, device, env);
                yield Map.of("features", m.forward(env.get("images")));
            }
            case "cross_attention_relation" -> {
                CrossAttention m = bind(new CrossAttention(cfg.path("embedding_dim").asInt(), cfg.path("num_heads").asInt(),
                        cfg.path("subspace_dim").asInt(), cfg.path("relation_num").asInt(), 0.1, gen), c, device, env);
                CrossAttention.Output o = m.forward(env.get("visual"), env.get("language"), env.get("attention_mask"));
                yield Map.of("query_language", o.queryLanguage(), "key_visual", o.keyVisual(),
                        "object_representation", o.objectRepresentation(), "relation_prediction", o.relationPrediction(),
                        "normalized_relational_matrix", o.normalizedRelationalMatrix());
            }
            case "interbert_pretraining", "interbert_vl_tasks", "region_iou" -> InterBertGolden.model(c, device, env);
            default -> fail(c.name() + ": unknown model kind '" + c.kind() + "'");
        };
    }

    /**
     * Eval mode (the cases have dropout off), on the device, a strict load through {@link WeightLoader}
     * (so a case may use any naming the loader accepts), then each live module tensor into env under the
     * checkpoint's name for it: gradients are read back under the names weights.safetensors uses.
     */
    static <M extends Module> M bind(M m, GoldenCase c, Device device, Map<String, Tensor> env) {
        m.eval();
        m.to(device);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : c.weights().keySet()) weights.put(name, env.get(name));
        LoadReport r = WeightLoader.load(m, weights, true);
        Map<String, Tensor> live = m.stateDict();
        r.loaded().forEach((name, moduleName) -> env.put(name, live.get(moduleName)));
        return m;
    }

    /**
     * Some reference gradients are exactly zero in exact arithmetic and pure round-off in the file: a key
     * projection's bias adds q.b_k to every score of a query row, which softmax cancels, so its gradient is
     * 0 (stored as ~1e-17 in fp64; fp32 gives ~1e-8). A relative error against round-off means nothing, so
     * such names (expected norm below {@link #ROUND_OFF} times the case's largest gradient norm) are taken
     * out of GoldenCheck's relative test and held to an absolute bound instead:
     * ||got - expected|| <= grads tolerance * largest expected gradient norm.
     */
    static final double ROUND_OFF = 1e-9;

    static void run(GoldenCase full, Device d) {
        double scale = 0;
        for (String g : full.grads()) scale = Math.max(scale, norm(full.expected().get("grad." + g)));
        List<String> relative = new ArrayList<>(), absolute = new ArrayList<>();
        for (String g : full.grads()) (norm(full.expected().get("grad." + g)) <= ROUND_OFF * scale ? absolute : relative).add(g);
        GoldenCase c = new GoldenCase(full.dir(), full.kind(), full.config(), full.outputsTol(), full.gradsTol(), full.outputs(),
                relative, full.inputs(), full.weights(), full.expected());
        AtomicReference<Map<String, Tensor>> seen = new AtomicReference<>();
        double tolScale = GoldenDevices.tolScale(d);
        GoldenCheck.run(c, d, tolScale, env -> {
            seen.set(env);
            for (String g : absolute) env.put(g, env.get(g).detach().requiresGrad(true)); // GoldenCheck marks only `relative`
            return model(c, d, env);
        });
        for (String g : absolute) {
            Tensor got = seen.get().get(g).grad();
            if (got == null) fail(c.name() + ": no gradient reached '" + g + "'");
            double err = norm(got.to(Device.CPU).sub(full.expected().get("grad." + g)));
            if (!(err <= full.gradsTol() * tolScale * scale))
                fail(c.name() + " grad " + g + " (zero in exact arithmetic): error norm " + err + " exceeds "
                        + full.gradsTol() * tolScale + " x the largest gradient norm " + scale);
        }
    }

    static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) s += v * v;
        return Math.sqrt(s);
    }

    @TestFactory
    @DisplayName("golden")
    List<DynamicTest> everyModelCase() throws IOException {
        return GoldenTests.everyCase("models", GoldenDevices.ALL, (dir, d) -> run(GoldenCase.load(dir), d));
    }

    /** InterBERT's cases sit in their own tree (golden/README.md), under the same rules; region_iou runs here since RegionIou is a models class. */
    @TestFactory
    @DisplayName("golden")
    List<DynamicTest> everyInterBertOpCase() throws IOException {
        return GoldenTests.everyCase("interbert/ops", GoldenDevices.ALL, (dir, d) -> run(GoldenCase.load(dir), d));
    }

    /** The semantic evaluation's cases ($GW_GOLDEN/eval): float64 host computations, so the CPU only. */
    @TestFactory
    @DisplayName("golden")
    List<DynamicTest> everyEvalCase() throws IOException {
        return GoldenTests.everyCase("eval", List.of(Device.CPU), (dir, d) -> EvalGolden.run(GoldenCase.load(dir)));
    }

    /**
     * More eval cases of the same format, kept with the tests (resources/golden-extra/eval, made by
     * src/test/python/make_eval_cases.py with scikit-learn): fewer rows than dimensions, k = D, the
     * euclidean metric, a one-row label, duplicate and zero rows, labels that are not 0..K-1.
     */
    @TestFactory
    @DisplayName("golden")
    List<DynamicTest> everyExtraEvalCase() throws IOException, java.net.URISyntaxException {
        java.nio.file.Path base = java.nio.file.Path.of(GoldenModelsTest.class.getResource("/golden-extra/eval").toURI());
        return GoldenTests.everyCase(base, List.of(Device.CPU), (dir, d) -> EvalGolden.run(GoldenCase.load(dir)));
    }

    @TestFactory
    @DisplayName("golden")
    List<DynamicTest> everyInterBertModelCase() throws IOException {
        return GoldenTests.everyCase("interbert/models", GoldenDevices.ALL, (dir, d) -> run(GoldenCase.load(dir), d));
    }
}
