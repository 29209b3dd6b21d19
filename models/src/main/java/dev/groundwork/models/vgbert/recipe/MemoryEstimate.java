package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.vgbert.VgBertConfig;

import java.util.Locale;

/**
 * A training step's peak memory on the CPU heap, so that a batch that cannot fit stops before the first
 * step with the numbers and the flags to change, instead of an {@code OutOfMemoryError} minutes in. A
 * formula counted in float32 values, then calibrated against measurement:
 * <ul>
 *   <li>the model's state, exactly: every parameter, a gradient for each trainable one, and the
 *       optimizer's moments (Adam two, SGD with momentum one);</li>
 *   <li>per sample, the activations a step keeps for its backward, counted from the sizes (§1-§5): the
 *       VGG's feature maps, the spatial attention over R cells, BERT's layers over the sample's tokens
 *       (T caption slots, or O×L phrase slots in stage 3), each kept with its gradient (×2);</li>
 *   <li>per pair of samples, stage 2's matchmap (B×B×R×T similarities, with the max mask and the
 *       gradient: ×3), the one term that grows with the square of the batch.</li>
 * </ul>
 * The formula leaves out the engine's temporaries and the JVM's own use, so it is a floor. The
 * {@link Calibration} scales its per-sample terms and adds a fixed base, per preset and stage, from the
 * smallest {@code -Xmx} under which one step ran ({@code MemoryCalibration} in the tests, which
 * bisects over child JVMs); the check then keeps a 10% margin below the heap's maximum.
 */
public record MemoryEstimate(long stateBytes, long perSampleBytes, long perPairBytes) {
    /** The share of the heap a run may plan to use: the calibrated need is what one step took, so only a small margin. */
    static final double MARGIN = 0.9;

    /**
     * Measured against the formula: the smallest heap one step ran in (serial GC, random batches of the preset's
     * sizes, {@code MemoryCalibration}) is {@code baseMib} plus the formula's state plus {@code sampleFactor}
     * times its per-sample and per-pair terms. The factor covers what the formula does not count per sample
     * (the engine's temporaries, the autograd graph, the heap's fragmentation); the base, the JVM's own use.
     */
    record Calibration(double sampleFactor, long baseMib) {
        /**
         * Measured on Temurin 25.0.3, 2 shared vCPUs (MiB: the smallest -Xmx that ran, bisected to 6%; the
         * formula's state S, per-sample P and per-pair Q in brackets):
         * <pre>
         *   demo   two-stream  [S 9.4, P 1.02, Q 0.0011]  batch 8: 28   batch 32: 86    factor 2.27, base 0
         *   demo   relational  [S 9.2, P 0.84]            batch 8: 28   batch 32: 72    factor 2.18, base 4
         *   demo   retrieval   [S 8.6, P 0.82]            batch 8: 28   batch 32: 61    factor 1.68, base 8
         *   paper  two-stream  [S 1149, P 109.5, Q 0.072] batch 2: 1710                 factor 2.52, base 8 (the demo's)
         *   paper  relational  [S 758, P 151.4]           batch 2: 2650 (2120 failed; bisection stopped at 20%) factor 6.22, base 8
         * </pre>
         * Two batches give the factor (the slope) and the base; one batch, the factor with the base taken from
         * the demo. Stage 3 at the paper size keeps far more than the formula counts (BERT over O×L = 320
         * phrase tokens per image): a run at batch 8 ran out of a 5.9 GiB heap where the formula said 1.9 GiB;
         * calibrated, it says 8.1 GiB. Not measured, and so taken from elsewhere: the paper transfer (the demo transfer's factor:
         * everything but its heads is frozen at both sizes) and stage 1 (the formula alone, a floor: its check
         * can pass a batch that does not fit).
         */
        static Calibration of(Preset preset, Stage stage) {
            return switch (preset) {
                case DEMO -> switch (stage) {
                    case TWO_STREAM -> new Calibration(2.27, 0);
                    case RELATIONAL -> new Calibration(2.18, 4);
                    case RETRIEVAL -> new Calibration(1.68, 8);
                    case VISUAL -> new Calibration(1, 0);
                };
                case PAPER -> switch (stage) {
                    case TWO_STREAM -> new Calibration(2.52, 8);
                    case RELATIONAL -> new Calibration(6.22, 8);
                    case RETRIEVAL -> new Calibration(1.68, 8);
                    case VISUAL -> new Calibration(1, 0);
                };
            };
        }
    }

    /** The calibrated estimate for {@code model} trained under {@code s}. */
    public static MemoryEstimate of(RunSettings s, Module model) {
        MemoryEstimate f = formula(s, model);
        Calibration c = Calibration.of(s.preset(), s.stage());
        return new MemoryEstimate(f.stateBytes + (c.baseMib() << 20), Math.round(f.perSampleBytes * c.sampleFactor()),
                Math.round(f.perPairBytes * c.sampleFactor()));
    }

    /** The formula alone, uncalibrated: a floor. */
    static MemoryEstimate formula(RunSettings s, Module model) {
        long all = 0, trainable = 0;
        for (Tensor t : model.parameters()) all += t.numel();
        for (Tensor t : model.trainableParameters()) trainable += t.numel();
        int moments = s.stage() == Stage.VISUAL ? 1 : 2;   // SGD momentum (§1.6); Adam elsewhere (§6.1)
        long state = 4L * (all + trainable * (1 + moments));

        VgBertConfig c = s.config();
        // A frozen backbone keeps nothing for the backward: only the largest layer is alive at once.
        boolean vggTrains = model.namedTrainableParameters().keySet().stream().anyMatch(n -> n.matches("(.*\\.)?image_model\\.\\d+\\..*"));
        int side = c.imageSize(), cells;
        long vggSum = 0, vggMax = 0;
        for (Object layer : c.visual().cfg())
            if (layer instanceof Integer ch) {
                long out = (long) ch * side * side;
                vggSum += 2 * out;                                           // conv output and its ReLU
                vggMax = Math.max(vggMax, 2 * out);
            } else side /= 2;
        side *= 2;                                                           // the last pool is dropped (§1.1)
        cells = side * side;
        long vgg = vggTrains ? vggSum : vggMax;
        int d = c.dim(), ffn = c.visual().intermediateSize(), hv = c.visual().numHeads();
        long attention = (long) cells * (10L * d + 2L * ffn) + 3L * hv * cells * cells;
        int tokens = s.stage() == Stage.RELATIONAL ? c.objects() * c.phraseSlots() : s.stage() == Stage.VISUAL ? 0 : c.captionSlots();
        int t = s.stage() == Stage.RELATIONAL ? c.phraseSlots() : c.captionSlots();
        var b = c.bert();
        // Frozen lower layers keep nothing either: the learnable top layers (all with --train-backbone), at least one alive.
        int kept = s.trainBackbone() ? b.numHiddenLayers() : s.stage() == Stage.RETRIEVAL ? 1 : Math.max(1, s.learnableLayers());
        long bert = (long) tokens * kept * (10L * b.hiddenSize() + 2L * b.intermediateSize() + 3L * b.numAttentionHeads() * t);
        long cross = s.stage() == Stage.RELATIONAL || s.stage() == Stage.RETRIEVAL ? 3L * c.objects() * cells * c.heads() + 4L * c.objects() * d : 0;
        long perSample = 4L * 2 * (vgg + attention + bert + cross);
        long perPair = s.stage() == Stage.TWO_STREAM ? 4L * 3 * cells * c.captionSlots() : 0;
        return new MemoryEstimate(state, perSample, perPair);
    }

    /** Bytes at batch size {@code batch}. */
    public long at(int batch) { return stateBytes + perSampleBytes * batch + perPairBytes * (long) batch * batch; }

    /** The largest batch whose estimate fits in {@code budget} bytes, or 0 when not even one sample does. */
    public int largestBatch(long budget) {
        int lo = 0, hi = 1;
        while (hi < 1 << 20 && at(hi) <= budget) hi *= 2;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (at(mid) <= budget) lo = mid;
            else hi = mid;
        }
        return at(hi) <= budget ? hi : lo;
    }

    /**
     * Null when batch {@code batch} fits {@code MARGIN} of {@code maxHeap}; else the message that stops the
     * run: the estimate, the heap, the largest batch that fits and the two ways out.
     */
    public String refusal(int batch, long maxHeap) {
        long budget = (long) (MARGIN * maxHeap);
        if (at(batch) <= budget) return null;
        int fits = largestBatch(budget);
        long need = (long) Math.ceil(at(batch) / MARGIN / (1L << 30));
        return String.format(Locale.ROOT, "does not fit the heap: a training step at batch %d needs about %s by the calibrated estimate (model state %s, %s per sample%s), "
                        + "more than %.0f%% of the Java heap's %s. Lower -b/--batch-size%s, or give the JVM more memory: "
                        + "GW_JAVA_OPTS=-Xmx%dg ./gw ... or ./gw -J-Xmx%dg ... (the machine's RAM permitting)",
                batch, gib(at(batch)), gib(stateBytes), mib(perSampleBytes), perPairBytes == 0 ? "" : " and " + kib(perPairBytes) + " per pair of samples",
                100 * MARGIN, gib(maxHeap), fits > 0 ? " to " + fits + " (fits by the estimate)" : " (not even 1 fits this heap)", need, need);
    }

    /** GiB with one decimal, or MiB below one GiB. */
    static String gib(long b) {
        return b < 1L << 30 ? mib(b) : String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
    }

    static String mib(long b) { return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20)); }

    static String kib(long b) { return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0); }
}
