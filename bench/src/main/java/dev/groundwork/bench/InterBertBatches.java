package dev.groundwork.bench;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.interbert.InterBertInputs;
import dev.groundwork.models.interbert.PretrainingLabels;

import java.util.SplittableRandom;

/**
 * Random InterBERT batches shaped as the original feeds them (spec 2.1, 5.1), for the benchmarks and
 * {@code bench/peers/interbert_step.py}'s same distributions: captions of 8..L word pieces between [CLS]
 * and [SEP], images with between a quarter and all of their R-1 regions real, row 0 the global token
 * (mean of the real features, box [0,0,1,1,1]), non-negative features as a ReLU'd detector gives. The
 * values do not change the work done; the shapes and the padding do.
 */
final class InterBertBatches {
    private InterBertBatches() {}

    static final int FEATURES = 2048, CLASSES = 1601, VOCAB = 30522;

    /** "B64_L36_R37" or "P500_R102_L30": the number after each letter. */
    static int field(String shape, char letter) {
        for (String part : shape.split("_")) if (part.charAt(0) == letter) return Integer.parseInt(part.substring(1));
        throw new IllegalArgumentException("shape '" + shape + "' has no " + letter + " field");
    }

    /** B pairs with different captions (pretraining), or one caption against B images ({@code oneCaption}, retrieval). */
    static InterBertInputs inputs(int b, int l, int r, boolean oneCaption, Device device, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ids = new long[b * l], mask = new long[b * l], imageMask = new long[b * r];
        float[] feat = new float[b * r * FEATURES], loc = new float[b * r * 5];
        int words = 8 + rnd.nextInt(Math.max(1, l - 7));
        for (int i = 0; i < b; i++) {
            if (!oneCaption) words = 8 + rnd.nextInt(Math.max(1, l - 7));
            SplittableRandom caption = oneCaption ? new SplittableRandom(seed + 1) : rnd;
            for (int j = 0; j < Math.min(words, l); j++) {
                mask[i * l + j] = 1;
                ids[i * l + j] = j == 0 ? 101 : j == Math.min(words, l) - 1 ? 102 : 1000 + caption.nextInt(29000);
            }
            int real = (r - 1) / 4 + rnd.nextInt(r - 1 - (r - 1) / 4 + 1);
            imageMask[i * r] = 1;
            for (int k = 1; k <= real; k++) {
                imageMask[i * r + k] = 1;
                int base = (i * r + k) * FEATURES;
                for (int f = 0; f < FEATURES; f++) {
                    float v = (float) Math.max(0, rnd.nextGaussian());
                    feat[base + f] = v;
                    feat[(i * r) * FEATURES + f] += v / real;   // the global token: mean of the real regions
                }
                double x1 = rnd.nextDouble(0.8), y1 = rnd.nextDouble(0.8), x2 = x1 + rnd.nextDouble(0.05, 0.2), y2 = y1 + rnd.nextDouble(0.05, 0.2);
                float[] box = {(float) x1, (float) y1, (float) x2, (float) y2, (float) ((x2 - x1) * (y2 - y1))};
                System.arraycopy(box, 0, loc, (i * r + k) * 5, 5);
            }
            System.arraycopy(new float[]{0, 0, 1, 1, 1}, 0, loc, i * r * 5, 5);
        }
        return new InterBertInputs(on(Tensor.ofLongs(ids, b, l), device), on(Tensor.ofLongs(new long[b * l], b, l), device),
                on(Tensor.ofLongs(mask, b, l), device), on(Tensor.of(feat, b, r, FEATURES), device),
                on(Tensor.of(loc, b, r, 5), device), on(Tensor.ofLongs(imageMask, b, r), device));
    }

    /**
     * Pretraining targets for {@code in}: one span of about a third of each caption masked (spec 2.2), 15% of
     * the real regions labelled (group masking labels about as many), detector distributions as targets,
     * every other pair mismatched.
     */
    static PretrainingLabels labels(InterBertInputs in, Device device, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int b = in.batch(), l = in.inputIds().size(1), r = in.regions();
        long[] ids = in.inputIds().toLongArray(), mask = in.inputMask().toLongArray(), imageMask = in.imageMask().toLongArray();
        long[] lm = new long[b * l], imageLabel = new long[b * (r - 1)], isNext = new long[b];
        float[] target = new float[b * (r - 1) * CLASSES];
        java.util.Arrays.fill(lm, -1);
        java.util.Arrays.fill(imageLabel, -1);
        for (int i = 0; i < b; i++) {
            isNext[i] = i % 2;
            int n = 0;
            while (n < l && mask[i * l + n] == 1) n++;
            int start = 1 + rnd.nextInt(n - 2), len = Math.max(1, (n - 2) / 3);
            for (int j = start; j < Math.min(n - 1, start + len); j++) lm[i * l + j] = ids[i * l + j];
            for (int k = 0; k < r - 1; k++) {
                if (imageMask[i * r + k + 1] == 1 && rnd.nextDouble() < 0.15) imageLabel[i * (r - 1) + k] = 1;
                double sum = 0;
                int base = (i * (r - 1) + k) * CLASSES;
                for (int c = 0; c < CLASSES; c++) sum += target[base + c] = (float) Math.exp(2 * rnd.nextGaussian());
                for (int c = 0; c < CLASSES; c++) target[base + c] /= (float) sum;
            }
        }
        return new PretrainingLabels(on(Tensor.ofLongs(lm, b, l), device), on(Tensor.ofLongs(imageLabel, b, r - 1), device),
                on(Tensor.of(target, b, r - 1, CLASSES), device), on(Tensor.ofLongs(isNext, b), device));
    }

    /** On the device, and out of any scope: the batch lives as long as the benchmark. */
    private static Tensor on(Tensor t, Device device) { return TensorScope.detach(t.to(device)); }
}
