package dev.groundwork.engine.cpu;

/**
 * Direct-loop conv2d in double over any CpuStorage: the reference the fast float32 kernels are tested
 * against, and the path float64 gradient checks take. Contiguous NCHW operands.
 */
final class CpuConvReference {
    private CpuConvReference() {}

    record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {}

    static void forward(Geometry g, CpuStorage x, CpuStorage wt, CpuStorage bias, CpuStorage out) {
        for (int b = 0; b < g.n; b++)
            for (int o = 0; o < g.o; o++)
                for (int y = 0; y < g.oh; y++)
                    for (int xo = 0; xo < g.ow; xo++) {
                        double acc = bias == null ? 0 : bias.get(o);
                        for (int c = 0; c < g.c; c++)
                            for (int i = 0; i < g.kh; i++) {
                                int iy = y * g.sh - g.ph + i;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int j = 0; j < g.kw; j++) {
                                    int ix = xo * g.sw - g.pw + j;
                                    if (ix < 0 || ix >= g.w) continue;
                                    acc += x.get(((b * g.c + c) * g.h + iy) * g.w + ix) * wt.get(((o * g.c + c) * g.kh + i) * g.kw + j);
                                }
                            }
                        out.set(((b * g.o + o) * g.oh + y) * g.ow + xo, acc);
                    }
    }

    static void backwardData(Geometry g, CpuStorage gy, CpuStorage wt, CpuStorage gx) {
        double[] acc = new double[g.n * g.c * g.h * g.w];
        for (int b = 0; b < g.n; b++)
            for (int o = 0; o < g.o; o++)
                for (int y = 0; y < g.oh; y++)
                    for (int xo = 0; xo < g.ow; xo++) {
                        double d = gy.get(((b * g.o + o) * g.oh + y) * g.ow + xo);
                        for (int c = 0; c < g.c; c++)
                            for (int i = 0; i < g.kh; i++) {
                                int iy = y * g.sh - g.ph + i;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int j = 0; j < g.kw; j++) {
                                    int ix = xo * g.sw - g.pw + j;
                                    if (ix < 0 || ix >= g.w) continue;
                                    acc[((b * g.c + c) * g.h + iy) * g.w + ix] += d * wt.get(((o * g.c + c) * g.kh + i) * g.kw + j);
                                }
                            }
                    }
        for (int i = 0; i < acc.length; i++) gx.set(i, acc[i]);
    }

    static void backwardWeight(Geometry g, CpuStorage x, CpuStorage gy, CpuStorage gw, CpuStorage gb) {
        double[] acc = new double[g.o * g.c * g.kh * g.kw];
        double[] accB = new double[g.o];
        for (int b = 0; b < g.n; b++)
            for (int o = 0; o < g.o; o++)
                for (int y = 0; y < g.oh; y++)
                    for (int xo = 0; xo < g.ow; xo++) {
                        double d = gy.get(((b * g.o + o) * g.oh + y) * g.ow + xo);
                        accB[o] += d;
                        for (int c = 0; c < g.c; c++)
                            for (int i = 0; i < g.kh; i++) {
                                int iy = y * g.sh - g.ph + i;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int j = 0; j < g.kw; j++) {
                                    int ix = xo * g.sw - g.pw + j;
                                    if (ix < 0 || ix >= g.w) continue;
                                    acc[((o * g.c + c) * g.kh + i) * g.kw + j] += d * x.get(((b * g.c + c) * g.h + iy) * g.w + ix);
                                }
                            }
                    }
        for (int i = 0; i < acc.length; i++) gw.set(i, acc[i]);
        if (gb != null) for (int i = 0; i < accB.length; i++) gb.set(i, accB[i]);
    }
}
