package dev.groundwork.engine.cpu;

import dev.groundwork.engine.cpu.Im2col.Geom;
import java.util.Arrays;

/**
 * NCHW float32 conv2d (dilation 1, groups 1) on {@code float[]}: forward, gradient w.r.t. the
 * input, gradient w.r.t. weight and bias. Weight layout is {@code O x C x kh x kw}. Output size per
 * spatial dim is {@code floor((h + 2p - k) / s) + 1}.
 *
 * <p>Method: im2col + {@link Gemm}, but never for the whole input at once: each image is processed
 * in bands of output rows whose column matrix fits in {@link #maxScratchFloats} floats (4 MiB by
 * default: big enough for GEMMs with hundreds of columns, small enough to stay in L2/L3 between the
 * im2col write and the GEMM read). A 1x1, stride-1, unpadded conv needs no im2col at all: the image
 * itself is the column matrix.
 *
 * <p>Every output array is overwritten, never accumulated into (gradX, gradW and gradBias included);
 * callers that accumulate gradients add the result themselves.
 */
public final class Conv2dKernels {

    /** Scratch budget per band, in floats. Package-private so tests can force many small bands. */
    static int maxScratchFloats = 1 << 20;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private Conv2dKernels() {}

    /** Output height/width for one spatial dimension. */
    public static int outSize(int in, int k, int stride, int pad) {
        int o = Math.floorDiv(in + 2 * pad - k, stride) + 1;
        if (k < 1 || stride < 1 || pad < 0 || o < 1) {
            throw new IllegalArgumentException("bad conv geometry: in=" + in + " k=" + k + " s=" + stride + " p=" + pad);
        }
        return o;
    }

    /** {@code out[n, o, oh, ow] = bias[o] + sum_{c,ki,kj} x[n, c, ...] * weight[o, c, ki, kj]}. */
    public static void forward(float[] x, int n, int c, int h, int w, float[] weight, int o, int kh, int kw,
                               float[] bias, int strideH, int strideW, int padH, int padW, float[] out) {
        Geom g = geom(c, h, w, kh, kw, strideH, strideW, padH, padW);
        int ckk = g.ckk(), ohw = g.oh() * g.ow(), chw = c * h * w;
        if (isPointwise(g)) {
            Gemm.sgemmBatched(false, false, n, o, ohw, c, 1f, weight, 0, c, 0, x, 0, ohw, chw,
                    0f, out, 0, ohw, o * ohw);
        } else {
            int rows = bandRows(g);
            int bands = (g.oh() + rows - 1) / rows;
            forEachItem(n * bands, (item) -> {
                int img = item / bands, oh0 = (item % bands) * rows, oh1 = Math.min(g.oh(), oh0 + rows);
                int cols = (oh1 - oh0) * g.ow();
                float[] col = scratch(ckk * cols);
                Im2col.im2col(g, x, img * chw, oh0, oh1, col);
                Gemm.sgemm(false, false, o, cols, ckk, 1f, weight, 0, ckk, col, 0, cols,
                        0f, out, img * o * ohw + oh0 * g.ow(), ohw);
            });
        }
        if (bias != null) {
            CpuThreads.parallelFor(0, n * o, 16, (from, to) -> {
                for (int p = from; p < to; p++) {
                    float bv = bias[p % o];
                    for (int i = p * ohw, e = i + ohw; i < e; i++) {
                        out[i] += bv;
                    }
                }
            });
        }
    }

    /** {@code gradX = d(sum gradOut * out) / dx}: W^T * gradOut per band, then col2im. Overwrites gradX. */
    public static void backwardData(float[] gradOut, int n, int c, int h, int w, float[] weight, int o, int kh,
                                    int kw, int strideH, int strideW, int padH, int padW, float[] gradX) {
        Geom g = geom(c, h, w, kh, kw, strideH, strideW, padH, padW);
        int ckk = g.ckk(), ohw = g.oh() * g.ow(), chw = c * h * w;
        if (isPointwise(g)) {
            Gemm.sgemmBatched(true, false, n, c, ohw, o, 1f, weight, 0, c, 0, gradOut, 0, ohw, o * ohw,
                    0f, gradX, 0, ohw, chw);
            return;
        }
        int rows = bandRows(g);
        // Bands of one image overlap in the input (kernel taller than stride), so one task owns a
        // whole image and walks its bands in order; images are independent.
        forEachItem(n, (img) -> {
            Arrays.fill(gradX, img * chw, (img + 1) * chw, 0f);
            for (int oh0 = 0; oh0 < g.oh(); oh0 += rows) {
                int oh1 = Math.min(g.oh(), oh0 + rows), cols = (oh1 - oh0) * g.ow();
                float[] col = scratch(ckk * cols);
                Gemm.sgemm(true, false, ckk, cols, o, 1f, weight, 0, ckk, gradOut, img * o * ohw + oh0 * g.ow(), ohw,
                        0f, col, 0, cols);
                Im2col.col2imAdd(g, col, oh0, oh1, gradX, img * chw);
            }
        });
    }

    /**
     * {@code gradW[o, c, ki, kj] = sum_{n, oh, ow} gradOut * x[...]} and {@code gradBias[o] = sum
     * gradOut[:, o]} (gradBias nullable). Overwrites both.
     */
    public static void backwardWeight(float[] x, float[] gradOut, int n, int c, int h, int w, int o, int kh, int kw,
                                      int strideH, int strideW, int padH, int padW, float[] gradW, float[] gradBias) {
        Geom g = geom(c, h, w, kh, kw, strideH, strideW, padH, padW);
        int ckk = g.ckk(), ohw = g.oh() * g.ow();
        if (n >= CpuThreads.threads() && CpuThreads.threads() > 1) {
            // gradW is a sum over images: each group of images sums into its own buffer (so im2col runs
            // in parallel too), then the partial sums are added in group order. A fixed grouping and a
            // fixed order keep the result bit-identical from run to run, whichever thread finishes first.
            int groups = CpuThreads.threads();
            float[][] parts = new float[groups][];
            CpuThreads.parallelFor(0, groups, 1, (g0, g1) -> {
                for (int q = g0; q < g1; q++) {
                    parts[q] = new float[o * ckk];
                    weightGradOfImages(g, x, gradOut, o, (int) ((long) n * q / groups), (int) ((long) n * (q + 1) / groups), parts[q]);
                }
            });
            Arrays.fill(gradW, 0, o * ckk, 0f);
            for (float[] part : parts) {
                for (int i = 0; i < part.length; i++) {
                    gradW[i] += part[i];
                }
            }
        } else {
            weightGradOfImages(g, x, gradOut, o, 0, n, gradW);
        }
        if (gradBias != null) {
            CpuThreads.parallelFor(0, o, 8, (from, to) -> {
                for (int oc = from; oc < to; oc++) {
                    double s = 0;
                    for (int img = 0; img < n; img++) {
                        for (int i = (img * o + oc) * ohw, e = i + ohw; i < e; i++) {
                            s += gradOut[i];
                        }
                    }
                    gradBias[oc] = (float) s;
                }
            });
        }
    }

    /**
     * {@code dst = sum over images [img0, img1) and their bands of gradOut * col^T} (overwrites dst).
     * Bands run in sequence, accumulating with beta = 1; each GEMM (M = O, N = C*kh*kw) is itself
     * parallel unless this already runs inside a parallel loop.
     */
    private static void weightGradOfImages(Geom g, float[] x, float[] gradOut, int o, int img0, int img1,
                                           float[] dst) {
        int ckk = g.ckk(), ohw = g.oh() * g.ow(), chw = g.c() * g.h() * g.w();
        boolean pointwise = isPointwise(g);
        int rows = pointwise ? g.oh() : bandRows(g);
        boolean first = true;
        for (int img = img0; img < img1; img++) {
            for (int oh0 = 0; oh0 < g.oh(); oh0 += rows) {
                int oh1 = Math.min(g.oh(), oh0 + rows), cols = (oh1 - oh0) * g.ow();
                float[] col = x;
                int colOff = img * chw;
                if (!pointwise) { // a pointwise conv's input already is its column matrix
                    col = scratch(ckk * cols);
                    colOff = 0;
                    Im2col.im2col(g, x, img * chw, oh0, oh1, col);
                }
                Gemm.sgemm(false, true, o, ckk, cols, 1f, gradOut, img * o * ohw + oh0 * g.ow(), ohw,
                        col, colOff, pointwise ? ohw : cols, first ? 0f : 1f, dst, 0, ckk);
                first = false;
            }
        }
        if (first) {
            Arrays.fill(dst, 0, o * ckk, 0f); // no images: the empty sum
        }
    }

    private interface Item {
        void run(int index);
    }

    /** Parallel over independent items when there are enough to feed every thread; otherwise
     *  sequential, leaving the threads to each item's GEMM. */
    private static void forEachItem(int count, Item item) {
        if (count >= CpuThreads.threads()) {
            CpuThreads.parallelFor(0, count, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    item.run(i);
                }
            });
        } else {
            for (int i = 0; i < count; i++) {
                item.run(i);
            }
        }
    }

    private static boolean isPointwise(Geom g) {
        return g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
    }

    /** Output rows per band so the column matrix stays within the scratch budget (at least one row). */
    private static int bandRows(Geom g) {
        long perRow = (long) g.ckk() * g.ow();
        return (int) Math.max(1, Math.min(g.oh(), maxScratchFloats / perRow));
    }

    private static float[] scratch(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    private static Geom geom(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        return new Geom(c, h, w, kh, kw, sh, sw, ph, pw, outSize(h, kh, sh, ph), outSize(w, kw, sw, pw));
    }
}
