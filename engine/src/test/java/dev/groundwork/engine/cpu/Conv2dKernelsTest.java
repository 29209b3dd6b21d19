package dev.groundwork.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Conv2dKernelsTest {

    /** n, c, h, w, o, kh, kw, strideH, strideW, padH, padW. */
    private static final int[][] SHAPES = {
        {2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1},
        {2, 3, 8, 6, 5, 3, 3, 2, 2, 0, 0},
        {3, 4, 9, 7, 6, 3, 2, 2, 1, 2, 1},
        {2, 8, 5, 6, 7, 1, 1, 1, 1, 0, 0},   // pointwise: straight to GEMM
        {1, 3, 10, 11, 4, 1, 1, 2, 2, 0, 0}, // 1x1 but strided: im2col path
        {4, 5, 12, 10, 3, 5, 5, 1, 2, 2, 2},
        {1, 16, 19, 20, 32, 3, 3, 1, 1, 1, 1},
        {3, 2, 6, 5, 3, 2, 2, 2, 2, 1, 0},
    };

    private record Case(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw,
                        int oh, int ow) {
        static Case of(int[] s) {
            return new Case(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10],
                    (s[2] + 2 * s[9] - s[5]) / s[7] + 1, (s[3] + 2 * s[10] - s[6]) / s[8] + 1);
        }

        int xi(int ni, int ci, int y, int x) {
            return ((ni * c + ci) * h + y) * w + x;
        }

        int oi(int ni, int oc, int y, int x) {
            return ((ni * o + oc) * oh + y) * ow + x;
        }

        int wi(int oc, int ci, int ki, int kj) {
            return ((oc * c + ci) * kh + ki) * kw + kj;
        }
    }

    /** Calls f(ni, oc, oy, ox, ci, ki, kj, iy, ix) for every in-bounds term of the convolution. */
    private interface Term {
        void at(int ni, int oc, int oy, int ox, int ci, int ki, int kj, int iy, int ix);
    }

    private static void forEachTerm(Case k, Term t) {
        for (int ni = 0; ni < k.n; ni++)
            for (int oc = 0; oc < k.o; oc++)
                for (int oy = 0; oy < k.oh; oy++)
                    for (int ox = 0; ox < k.ow; ox++)
                        for (int ci = 0; ci < k.c; ci++)
                            for (int ki = 0; ki < k.kh; ki++)
                                for (int kj = 0; kj < k.kw; kj++) {
                                    int iy = oy * k.sh - k.ph + ki, ix = ox * k.sw - k.pw + kj;
                                    if (iy >= 0 && iy < k.h && ix >= 0 && ix < k.w) {
                                        t.at(ni, oc, oy, ox, ci, ki, kj, iy, ix);
                                    }
                                }
    }

    private static void assertClose(double[] want, float[] got, double tol, String what) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol * (1 + Math.abs(want[i])))) {
                fail(what + " at " + i + ": got " + got[i] + " want " + want[i]);
            }
        }
    }

    private static void runCase(Case k, SplittableRandom rng, String tag) {
        float[] x = GemmTest.random(rng, k.n * k.c * k.h * k.w);
        float[] wt = GemmTest.random(rng, k.o * k.c * k.kh * k.kw);
        float[] bias = GemmTest.random(rng, k.o);
        float[] go = GemmTest.random(rng, k.n * k.o * k.oh * k.ow);
        String what = tag + " " + k;

        double[] out = new double[go.length];
        for (int ni = 0; ni < k.n; ni++)
            for (int oc = 0; oc < k.o; oc++)
                for (int p = 0; p < k.oh * k.ow; p++) out[(ni * k.o + oc) * k.oh * k.ow + p] = bias[oc];
        double[] gx = new double[x.length];
        double[] gw = new double[wt.length];
        forEachTerm(k, (ni, oc, oy, ox, ci, ki, kj, iy, ix) -> {
            out[k.oi(ni, oc, oy, ox)] += (double) x[k.xi(ni, ci, iy, ix)] * wt[k.wi(oc, ci, ki, kj)];
            gx[k.xi(ni, ci, iy, ix)] += (double) go[k.oi(ni, oc, oy, ox)] * wt[k.wi(oc, ci, ki, kj)];
            gw[k.wi(oc, ci, ki, kj)] += (double) go[k.oi(ni, oc, oy, ox)] * x[k.xi(ni, ci, iy, ix)];
        });
        double[] gb = new double[k.o];
        for (int ni = 0; ni < k.n; ni++)
            for (int oc = 0; oc < k.o; oc++)
                for (int p = 0; p < k.oh * k.ow; p++) gb[oc] += go[(ni * k.o + oc) * k.oh * k.ow + p];

        float[] gotOut = GemmTest.random(rng, out.length); // garbage: must be overwritten
        Conv2dKernels.forward(x, k.n, k.c, k.h, k.w, wt, k.o, k.kh, k.kw, bias, k.sh, k.sw, k.ph, k.pw, gotOut);
        assertClose(out, gotOut, 1e-5 * k.c * k.kh * k.kw, what + " forward");

        float[] gotGx = GemmTest.random(rng, x.length);
        Conv2dKernels.backwardData(go, k.n, k.c, k.h, k.w, wt, k.o, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw, gotGx);
        assertClose(gx, gotGx, 1e-5 * k.o * k.kh * k.kw, what + " backwardData");

        float[] gotGw = GemmTest.random(rng, wt.length);
        float[] gotGb = GemmTest.random(rng, k.o);
        Conv2dKernels.backwardWeight(x, go, k.n, k.c, k.h, k.w, k.o, k.kh, k.kw, k.sh, k.sw, k.ph, k.pw,
                gotGw, gotGb);
        assertClose(gw, gotGw, 1e-5 * k.n * k.oh * k.ow, what + " backwardWeight");
        assertClose(gb, gotGb, 1e-5 * k.n * k.oh * k.ow, what + " backwardBias");
    }

    @Test
    void matchesDirectLoopsWithDefaultScratch() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] s : SHAPES) {
            runCase(Case.of(s), rng, "default");
        }
    }

    /** Scratch for one and for two output rows: many bands, including a ragged last one. */
    @Test
    void matchesDirectLoopsWithSmallBands() {
        SplittableRandom rng = new SplittableRandom(6);
        int saved = Conv2dKernels.maxScratchFloats;
        try {
            for (int rows : new int[] {1, 2}) {
                for (int[] s : SHAPES) {
                    Case k = Case.of(s);
                    Conv2dKernels.maxScratchFloats = rows * k.c * k.kh * k.kw * k.ow;
                    runCase(k, rng, rows + "-row bands");
                }
            }
        } finally {
            Conv2dKernels.maxScratchFloats = saved;
        }
    }

    @Test
    void nullBiasAndOutputSize() {
        SplittableRandom rng = new SplittableRandom(8);
        Case k = Case.of(new int[] {1, 2, 5, 5, 3, 3, 3, 2, 2, 1, 1});
        float[] x = GemmTest.random(rng, k.n * k.c * k.h * k.w);
        float[] wt = GemmTest.random(rng, k.o * k.c * 9);
        float[] withBias = new float[k.o * k.oh * k.ow], without = new float[withBias.length];
        float[] bias = GemmTest.random(rng, k.o);
        Conv2dKernels.forward(x, 1, 2, 5, 5, wt, 3, 3, 3, bias, 2, 2, 1, 1, withBias);
        Conv2dKernels.forward(x, 1, 2, 5, 5, wt, 3, 3, 3, null, 2, 2, 1, 1, without);
        for (int i = 0; i < without.length; i++) {
            assertEquals(withBias[i] - bias[i / (k.oh * k.ow)], without[i], 1e-5);
        }
        assertEquals(3, Conv2dKernels.outSize(5, 3, 2, 1));
        assertEquals(2, Conv2dKernels.outSize(6, 3, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.outSize(2, 5, 1, 0));
    }
}
