package dev.groundwork.engine.cpu;

import java.util.Arrays;

/**
 * NCHW float32 pooling with PyTorch semantics: max_pool2d (with argmax), avg_pool2d
 * (count_include_pad = true, PyTorch's default) and adaptive_avg_pool2d, forward and backward.
 * Every plane {@code (n, c)} is independent, so all kernels run parallel over planes. Outputs and
 * input gradients are overwritten, not accumulated into.
 */
public final class Pool2dKernels {

    private Pool2dKernels() {}

    /**
     * Output size of max/avg pooling along one dimension, as PyTorch computes it: floor (or ceil)
     * of {@code (in + 2p - k) / s} plus one, and in ceil mode the last window must start inside the
     * input or the left padding.
     */
    public static int outSize(int in, int k, int s, int p, boolean ceilMode) {
        if (k < 1 || s < 1 || p < 0 || 2 * p > k) {
            throw new IllegalArgumentException("bad pool geometry: k=" + k + " s=" + s + " p=" + p);
        }
        int span = in + 2 * p - k;
        if (span < 0) {
            throw new IllegalArgumentException("pool window " + k + " larger than padded input " + (in + 2 * p));
        }
        int o = (ceilMode ? (span + s - 1) / s : span / s) + 1;
        if (ceilMode && (o - 1) * s >= in + p) {
            o--;
        }
        return o;
    }

    /**
     * max_pool2d. {@code argmax} receives, per output, the flat index {@code ih*w + iw} within its
     * input plane. The first maximum in scan order wins; a NaN in the window propagates.
     */
    public static void maxPool2dForward(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw,
                                        int ph, int pw, boolean ceilMode, float[] out, int[] argmax) {
        int oh = outSize(h, kh, sh, ph, ceilMode), ow = outSize(w, kw, sw, pw, ceilMode);
        CpuThreads.parallelFor(0, n * c, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xb = plane * h * w, ob = plane * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int h0 = i * sh - ph, h1 = Math.min(h0 + kh, h);
                    h0 = Math.max(h0, 0);
                    for (int j = 0; j < ow; j++) {
                        int w0 = j * sw - pw, w1 = Math.min(w0 + kw, w);
                        w0 = Math.max(w0, 0);
                        float best = Float.NEGATIVE_INFINITY;
                        int bestIdx = h0 * w + w0;
                        for (int y = h0; y < h1; y++) {
                            for (int xx = w0; xx < w1; xx++) {
                                float v = x[xb + y * w + xx];
                                // '>' keeps the first maximum; the NaN test makes NaN win (and stick).
                                if (v > best || Float.isNaN(v)) {
                                    best = v;
                                    bestIdx = y * w + xx;
                                }
                            }
                        }
                        out[ob + i * ow + j] = best;
                        argmax[ob + i * ow + j] = bestIdx;
                    }
                }
            }
        });
    }

    /** Scatter-adds each output gradient to its argmax position; overwrites gradX. */
    public static void maxPool2dBackward(float[] gradOut, int[] argmax, int n, int c, int h, int w, int oh, int ow,
                                         float[] gradX) {
        CpuThreads.parallelFor(0, n * c, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xb = plane * h * w, ob = plane * oh * ow;
                Arrays.fill(gradX, xb, xb + h * w, 0f);
                for (int i = 0; i < oh * ow; i++) {
                    gradX[xb + argmax[ob + i]] += gradOut[ob + i];
                }
            }
        });
    }

    /** avg_pool2d with count_include_pad = true: the divisor counts padded positions. */
    public static void avgPool2dForward(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw,
                                        int ph, int pw, boolean ceilMode, float[] out) {
        int oh = outSize(h, kh, sh, ph, ceilMode), ow = outSize(w, kw, sw, pw, ceilMode);
        CpuThreads.parallelFor(0, n * c, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xb = plane * h * w, ob = plane * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        Window win = Window.of(i, j, h, w, kh, kw, sh, sw, ph, pw);
                        float s = 0f;
                        for (int y = win.h0; y < win.h1; y++) {
                            for (int xx = win.w0; xx < win.w1; xx++) {
                                s += x[xb + y * w + xx];
                            }
                        }
                        out[ob + i * ow + j] = s / win.divisor;
                    }
                }
            }
        });
    }

    /** Gradient of {@link #avgPool2dForward}; overwrites gradX. */
    public static void avgPool2dBackward(float[] gradOut, int n, int c, int h, int w, int kh, int kw, int sh,
                                         int sw, int ph, int pw, boolean ceilMode, float[] gradX) {
        int oh = outSize(h, kh, sh, ph, ceilMode), ow = outSize(w, kw, sw, pw, ceilMode);
        CpuThreads.parallelFor(0, n * c, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xb = plane * h * w, ob = plane * oh * ow;
                Arrays.fill(gradX, xb, xb + h * w, 0f);
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        Window win = Window.of(i, j, h, w, kh, kw, sh, sw, ph, pw);
                        float g = gradOut[ob + i * ow + j] / win.divisor;
                        for (int y = win.h0; y < win.h1; y++) {
                            for (int xx = win.w0; xx < win.w1; xx++) {
                                gradX[xb + y * w + xx] += g;
                            }
                        }
                    }
                }
            }
        });
    }

    /** adaptive_avg_pool2d: window {@code [floor(i*in/out), ceil((i+1)*in/out))} per dimension. */
    public static void adaptiveAvgPool2dForward(float[] x, int n, int c, int h, int w, int oh, int ow, float[] out) {
        checkAdaptive(h, w, oh, ow);
        CpuThreads.parallelFor(0, n * c, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xb = plane * h * w, ob = plane * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int h0 = adaptiveStart(i, h, oh), h1 = adaptiveEnd(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int w0 = adaptiveStart(j, w, ow), w1 = adaptiveEnd(j, w, ow);
                        float s = 0f;
                        for (int y = h0; y < h1; y++) {
                            for (int xx = w0; xx < w1; xx++) {
                                s += x[xb + y * w + xx];
                            }
                        }
                        out[ob + i * ow + j] = s / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        });
    }

    /** Gradient of {@link #adaptiveAvgPool2dForward}; overwrites gradX. */
    public static void adaptiveAvgPool2dBackward(float[] gradOut, int n, int c, int h, int w, int oh, int ow,
                                                 float[] gradX) {
        checkAdaptive(h, w, oh, ow);
        CpuThreads.parallelFor(0, n * c, 4, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xb = plane * h * w, ob = plane * oh * ow;
                Arrays.fill(gradX, xb, xb + h * w, 0f);
                for (int i = 0; i < oh; i++) {
                    int h0 = adaptiveStart(i, h, oh), h1 = adaptiveEnd(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int w0 = adaptiveStart(j, w, ow), w1 = adaptiveEnd(j, w, ow);
                        float g = gradOut[ob + i * ow + j] / ((h1 - h0) * (w1 - w0));
                        for (int y = h0; y < h1; y++) {
                            for (int xx = w0; xx < w1; xx++) {
                                gradX[xb + y * w + xx] += g;
                            }
                        }
                    }
                }
            }
        });
    }

    static int adaptiveStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    static int adaptiveEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    private static void checkAdaptive(int h, int w, int oh, int ow) {
        if (h < 1 || w < 1 || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("bad adaptive pool sizes: in " + h + "x" + w + " out " + oh + "x" + ow);
        }
    }

    /**
     * One avg-pool window clipped to the input, with PyTorch's count_include_pad divisor: the
     * window size after clipping to the padded extent {@code [-p, in + p)} (smaller than kh*kw only
     * for ceil-mode windows hanging past the padding).
     */
    private record Window(int h0, int h1, int w0, int w1, int divisor) {
        static Window of(int i, int j, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
            int h0 = i * sh - ph, w0 = j * sw - pw;
            int h1 = Math.min(h0 + kh, h + ph), w1 = Math.min(w0 + kw, w + pw);
            int divisor = (h1 - h0) * (w1 - w0);
            return new Window(Math.max(h0, 0), Math.min(h1, h), Math.max(w0, 0), Math.min(w1, w), divisor);
        }
    }
}
