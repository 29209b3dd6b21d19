package dev.groundwork.engine.cpu;

/**
 * Direct-loop conv2d in double over any CpuStorage: the reference the fast float32 kernels are tested
 * against, and the path float64 gradient checks take. Contiguous NCHW operands from offset 0.
 */
final class CpuConvReference {
    private CpuConvReference() {}

    record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {}

    /** One multiply of the convolution: output element yi, input element xi, weight element wi. */
    private interface Tap { void at(int yi, int xi, int wi); }

    /** Visits every (output, input, weight) triple that contributes, skipping the zero padding. */
    private static void forEachTap(Geometry g, Tap tap) {
        for (int b = 0; b < g.n; b++)
            for (int o = 0; o < g.o; o++)
                for (int y = 0; y < g.oh; y++)
                    for (int xo = 0; xo < g.ow; xo++) {
                        int yi = ((b * g.o + o) * g.oh + y) * g.ow + xo;
                        for (int c = 0; c < g.c; c++)
                            for (int i = 0; i < g.kh; i++) {
                                int iy = y * g.sh - g.ph + i;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int j = 0; j < g.kw; j++) {
                                    int ix = xo * g.sw - g.pw + j;
                                    if (ix < 0 || ix >= g.w) continue;
                                    tap.at(yi, ((b * g.c + c) * g.h + iy) * g.w + ix, ((o * g.c + c) * g.kh + i) * g.kw + j);
                                }
                            }
                    }
    }

    static void forward(Geometry g, CpuStorage x, CpuStorage wt, CpuStorage bias, CpuStorage out) {
        double[] acc = new double[g.n * g.o * g.oh * g.ow];
        if (bias != null)
            for (int i = 0; i < acc.length; i++) acc[i] = bias.get((i / (g.oh * g.ow)) % g.o);
        forEachTap(g, (yi, xi, wi) -> acc[yi] += x.get(xi) * wt.get(wi));
        for (int i = 0; i < acc.length; i++) out.set(i, acc[i]);
    }

    static void backwardData(Geometry g, CpuStorage gy, CpuStorage wt, CpuStorage gx) {
        double[] acc = new double[g.n * g.c * g.h * g.w];
        forEachTap(g, (yi, xi, wi) -> acc[xi] += gy.get(yi) * wt.get(wi));
        for (int i = 0; i < acc.length; i++) gx.set(i, acc[i]);
    }

    static void backwardWeight(Geometry g, CpuStorage x, CpuStorage gy, CpuStorage gw, CpuStorage gb) {
        double[] acc = new double[g.o * g.c * g.kh * g.kw];
        forEachTap(g, (yi, xi, wi) -> acc[wi] += gy.get(yi) * x.get(xi));
        for (int i = 0; i < acc.length; i++) gw.set(i, acc[i]);
        if (gb == null) return;
        double[] accB = new double[g.o];
        for (int i = 0; i < g.n * g.o * g.oh * g.ow; i++) accB[(i / (g.oh * g.ow)) % g.o] += gy.get(i);
        for (int i = 0; i < accB.length; i++) gb.set(i, accB[i]);
    }
}
