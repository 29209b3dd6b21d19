package dev.groundwork.models.interbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gradients of a tiny InterBERT in float64 against central differences: with respect to the region
 * features and boxes (every element), and to every parameter tensor of the network (a few random
 * elements each), for the pretraining outputs with their three losses and for the VL-task outputs,
 * under both fusions. The scalar is a random projection of every output, so no path is left unprobed.
 */
class InterBertGradientTest {
    private static final double EPS = 1e-6, TOL = 1e-5;
    private static final int ENTRIES_PER_TENSOR = 4;

    /** Every pretraining output and loss, flattened into one vector. */
    private static Tensor pretrainingOutputs(InterBertForMultiModalPreTraining m, InterBertInputs in, PretrainingLabels labels) {
        InterBertForMultiModalPreTraining.Output o = m.forward(in);
        PretrainingLosses l = m.losses(o, labels);
        return flat(o.scores().predictionScoresT(), o.scores().predictionScoresV(), o.scores().seqRelationshipScore(),
                o.bert().pooledOutputT(), o.bert().pooledOutputV(), o.bert().sequenceOutputT(), o.bert().sequenceOutputV(),
                l.maskedLmLoss(), l.maskedImgLoss(), l.nextSentenceLoss());
    }

    private static Tensor vlOutputs(InterBertForVLTasks m, InterBertInputs in) {
        InterBertForVLTasks.Output o = m.forward(in);
        // vision_logit is -10000 + x at padded regions: read only the real ones, or the round-off of that sum
        // (1e4 · 1e-16 / ε = 1e-6) would swamp the differences
        Tensor real = in.imageMask().to(DType.F64).unsqueeze(2);
        return flat(o.scores().vilPrediction(), o.scores().vilLogit(), o.scores().vilBinaryPrediction(), o.visionPrediction(),
                o.visionLogit().mul(real), o.linguisticPrediction(), o.linguisicLogit());
    }

    private static Tensor flat(Tensor... ts) {
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : ts) parts.add(t.reshape(t.numel()));
        return F.cat(parts, 0);
    }

    private static InterBertInputs withRegions(InterBertInputs in, Tensor feat, Tensor loc) {
        return new InterBertInputs(in.inputIds(), in.tokenTypeIds(), in.inputMask(), feat, loc, in.imageMask());
    }

    /**
     * Fresh noise N(0, 0.2²) on every parameter, biases and LayerNorm included: at the N(0, 0.02²) init the
     * attention is nearly uniform and most gradients are tiny, which would leave those paths hardly tested.
     */
    private static <M extends Module> M roughened(M m, long seed) {
        m.eval();
        m.to(DType.F64);
        Generator g = new Generator(seed);
        try (var s = GradMode.noGrad()) {
            for (Tensor p : m.parameters()) p.copy_(p.add(g.normal(DType.F64, Device.CPU, 0, 0.2, p.shape())));
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Fusion.class)
    void pretrainingGradientsMatchFiniteDifferences(Fusion fusion) {
        var m = roughened(new InterBertForMultiModalPreTraining(TinyInterBert.config(fusion), new Generator(3)), 13);
        InterBertInputs in = TinyInterBert.inputs(21, DType.F64);
        PretrainingLabels labels = TinyInterBert.labels(22, DType.F64);
        GradCheck.check("pretraining (" + fusion + ") w.r.t. image_feat, image_loc",
                xs -> pretrainingOutputs(m, withRegions(in, xs[0], xs[1]), labels), EPS, TOL,
                in.imageFeat().requiresGrad(true), in.imageLoc().requiresGrad(true));
        checkParameters("pretraining (" + fusion + ")", m, () -> pretrainingOutputs(m, in, labels));
    }

    @ParameterizedTest
    @EnumSource(Fusion.class)
    void vlTaskGradientsMatchFiniteDifferences(Fusion fusion) {
        var m = roughened(new InterBertForVLTasks(TinyInterBert.config(fusion), 3, new Generator(4)), 14);
        InterBertInputs in = TinyInterBert.inputs(23, DType.F64);
        GradCheck.check("VL tasks (" + fusion + ") w.r.t. image_feat, image_loc",
                xs -> vlOutputs(m, withRegions(in, xs[0], xs[1])), EPS, TOL,
                in.imageFeat().requiresGrad(true), in.imageLoc().requiresGrad(true));
        checkParameters("VL tasks (" + fusion + ")", m, () -> vlOutputs(m, in));
    }

    /**
     * For every parameter tensor: the analytic gradient of probe · outputs() at a few random elements
     * against central differences, by relative L2 over those elements.
     */
    private static void checkParameters(String what, Module m, java.util.function.Supplier<Tensor> outputs) {
        Tensor first = outputs.get();
        Tensor probe = new Generator(99).normal(DType.F64, Device.CPU, 0, 1, first.shape());
        m.zeroGrad();
        first.mul(probe).sum().backward();
        Function<Void, Double> loss = v -> outputs.get().mul(probe).sum().item();
        SplittableRandom pick = new SplittableRandom(7);
        int checked = 0;
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            Tensor grad = p.grad();
            assertNotNull(grad, what + ": no gradient reached " + e.getKey());
            double[] analytic = grad.toDoubleArray(), values = p.toDoubleArray();
            double diff = 0, ref = 0;
            StringBuilder seen = new StringBuilder();
            try (var s = GradMode.noGrad()) {
                for (int k = 0; k < ENTRIES_PER_TENSOR; k++) {
                    int i = pick.nextInt(values.length);
                    double orig = values[i];
                    values[i] = orig + EPS;
                    p.copy_(Tensor.of(values, p.shape()));
                    double plus = loss.apply(null);
                    values[i] = orig - EPS;
                    p.copy_(Tensor.of(values, p.shape()));
                    double minus = loss.apply(null);
                    values[i] = orig;
                    p.copy_(Tensor.of(values, p.shape()));
                    double numeric = (plus - minus) / (2 * EPS);
                    seen.append(String.format(" [%d] %.9g vs %.9g", i, analytic[i], numeric));
                    diff += (analytic[i] - numeric) * (analytic[i] - numeric);
                    ref += numeric * numeric;
                }
            }
            // A key projection's bias has a gradient of exactly 0 (softmax cancels q·b_k), as have unused position
            // rows; there the differences are round-off (~1e-9), so the reference norm has a floor.
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-3);
            if (!(rel <= TOL)) fail(what + ": gradient of " + e.getKey() + " differs from finite differences, rel L2 " + rel
                    + "; analytic vs numeric:" + seen);
            checked++;
        }
        assertTrue(checked > 50, what + ": only " + checked + " parameter tensors checked");
    }
}
