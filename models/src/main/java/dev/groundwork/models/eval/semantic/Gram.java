package dev.groundwork.models.eval.semantic;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * Dot products of every row of {@code x} with every row of {@code y} in float64, for the evaluation's
 * two quadratic jobs: the covariance behind PCA and the pairwise distances behind silhouettes. The
 * engine's GEMM is float32 and its float64 path is a reference triple loop; the evaluations must
 * match scikit-learn's float64 figures, so this is a small blocked float64 kernel: rows of {@code x} in
 * blocks handed to the common pool, each block against {@code y} two rows at a time, 2x2 dot
 * products per step over SIMD lanes. Each row block's results go to the caller as one buffer, so
 * N x N distances never have to exist at once.
 */
final class Gram {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Rows of x per task and per result buffer. */
    static final int BLOCK = 32;

    private Gram() {}

    /** Receives the dots of x rows {@code [from, to)} with every y row: {@code dots[(i - from) * ny + j]}. */
    interface Sink {
        void accept(int from, int to, double[] dots);
    }

    /** Calls {@code sink} once per block of x rows, blocks in parallel; each call gets its own buffer. */
    static void rows(double[][] x, double[][] y, Sink sink) {
        int blocks = (x.length + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * BLOCK, to = Math.min(x.length, from + BLOCK);
            double[] out = new double[(to - from) * y.length];
            block(x, from, to, y, out);
            sink.accept(from, to, out);
        });
    }

    /** The full [x.length, y.length] matrix of dots (for sizes where it fits, such as a covariance). */
    static double[][] matrix(double[][] x, double[][] y) {
        double[][] g = new double[x.length][];
        rows(x, y, (from, to, dots) -> {
            for (int i = from; i < to; i++)
                g[i] = java.util.Arrays.copyOfRange(dots, (i - from) * y.length, (i - from + 1) * y.length);
        });
        return g;
    }

    /**
     * y pairs outer, x pairs inner: the block's x rows (32 x D doubles) stay in cache while each y row
     * is read from memory once per block.
     */
    private static void block(double[][] x, int from, int to, double[][] y, double[] out) {
        int ny = y.length;
        int j = 0;
        for (; j + 1 < ny; j += 2) {
            int i = from;
            for (; i + 1 < to; i += 2) {
                double[] r = dot2x2(x[i], x[i + 1], y[j], y[j + 1]);
                out[(i - from) * ny + j] = r[0];
                out[(i - from) * ny + j + 1] = r[1];
                out[(i + 1 - from) * ny + j] = r[2];
                out[(i + 1 - from) * ny + j + 1] = r[3];
            }
            if (i < to) {
                out[(i - from) * ny + j] = dot(x[i], y[j]);
                out[(i - from) * ny + j + 1] = dot(x[i], y[j + 1]);
            }
        }
        if (j < ny)
            for (int i = from; i < to; i++) out[(i - from) * ny + j] = dot(x[i], y[j]);
    }

    /** a0.b0, a0.b1, a1.b0, a1.b1: each loaded vector used twice. */
    private static double[] dot2x2(double[] a0, double[] a1, double[] b0, double[] b1) {
        int d = a0.length, upper = S.loopBound(d), k = 0;
        DoubleVector s00 = DoubleVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        for (; k < upper; k += S.length()) {
            DoubleVector x0 = DoubleVector.fromArray(S, a0, k), x1 = DoubleVector.fromArray(S, a1, k);
            DoubleVector y0 = DoubleVector.fromArray(S, b0, k), y1 = DoubleVector.fromArray(S, b1, k);
            s00 = x0.fma(y0, s00);
            s01 = x0.fma(y1, s01);
            s10 = x1.fma(y0, s10);
            s11 = x1.fma(y1, s11);
        }
        double r00 = s00.reduceLanes(VectorOperators.ADD), r01 = s01.reduceLanes(VectorOperators.ADD);
        double r10 = s10.reduceLanes(VectorOperators.ADD), r11 = s11.reduceLanes(VectorOperators.ADD);
        for (; k < d; k++) {
            r00 += a0[k] * b0[k];
            r01 += a0[k] * b1[k];
            r10 += a1[k] * b0[k];
            r11 += a1[k] * b1[k];
        }
        return new double[]{r00, r01, r10, r11};
    }

    static double dot(double[] a, double[] b) { return dot(a, b, a.length); }

    /** The dot product of the first {@code d} entries. */
    static double dot(double[] a, double[] b, int d) {
        int upper = S.loopBound(d), k = 0;
        DoubleVector s = DoubleVector.zero(S);
        for (; k < upper; k += S.length()) s = DoubleVector.fromArray(S, a, k).fma(DoubleVector.fromArray(S, b, k), s);
        double r = s.reduceLanes(VectorOperators.ADD);
        for (; k < d; k++) r += a[k] * b[k];
        return r;
    }
}
