package dev.groundwork.models.interbert;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/**
 * An InterBERT small enough for finite differences (H = 8, two heads of 4 in the joint and text layers,
 * two of 4 in the image layers, P = 6) and random batches of it: text of L = 5 with padding, R = 4 image
 * rows (the global token first) with padded regions, random non-zero features.
 */
final class TinyInterBert {
    private TinyInterBert() {}

    static final int VOCAB = 11, H = 8, L = 5, R = 4, F = 6, C = 5, P = 6;

    static InterBertConfig config(Fusion fusion) {
        return new InterBertConfig(VOCAB, H, 1, 1, 2, 12, "gelu", 0.1, 0.1, 8, 2, 0.02,
                F, C, H, 1, 2, 10, "gelu", 0.2, 0.1, P, fusion, false);
    }

    /** Two pairs: the first has 4 tokens and 3 regions, the second 5 tokens and all 4 rows. */
    static InterBertInputs inputs(long seed, DType dtype) {
        Generator g = new Generator(seed);
        long[] ids = {1, 4, 9, 2, 0, 1, 7, 3, 10, 2};
        long[] types = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        long[] mask = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
        long[] imageMask = {1, 1, 1, 0, 1, 1, 1, 1};
        return new InterBertInputs(Tensor.ofLongs(ids, 2, L), Tensor.ofLongs(types, 2, L), Tensor.ofLongs(mask, 2, L),
                g.normal(dtype, Device.CPU, 0, 1, 2, R, F), g.uniform(dtype, Device.CPU, 0, 1, 2, R, 5),
                Tensor.ofLongs(imageMask, 2, R));
    }

    /**
     * Labels for {@link #inputs}: pair 0 matched, pair 1 not; masked tokens and regions in both, targets
     * that are distributions with one exact zero per row.
     */
    static PretrainingLabels labels(long seed, DType dtype) {
        Generator g = new Generator(seed);
        float[] t = g.uniform(DType.F32, Device.CPU, 0.1, 1, 2, R - 1, C).toFloatArray();
        for (int row = 0; row < 2 * (R - 1); row++) {
            t[row * C + row % C] = 0;
            double s = 0;
            for (int c = 0; c < C; c++) s += t[row * C + c];
            for (int c = 0; c < C; c++) t[row * C + c] /= (float) s;
        }
        return new PretrainingLabels(Tensor.ofLongs(new long[]{-1, 6, -1, 3, -1, -1, 2, -1, 5, -1}, 2, L),
                Tensor.ofLongs(new long[]{1, 1, -1, 1, 1, -1}, 2, R - 1), Tensor.of(t, 2, R - 1, C).to(dtype),
                Tensor.ofLongs(new long[]{0, 1}, 2));
    }
}
