package dev.groundwork.engine.cpu;

import java.util.Arrays;

/**
 * im2col / col2im for one image and one band of output rows, the unit {@link Conv2dKernels}
 * works in so scratch stays bounded whatever the image size.
 *
 * <p>Column matrix layout: row {@code r = (ci*kh + ki)*kw + kj} (matching the O x C x kh x kw
 * weight layout), column {@code (oh - oh0)*ow + ow}; {@code (C*kh*kw) x (rows*OW)} row-major.
 */
final class Im2col {

    /** Geometry of one conv2d: input c x h x w, kernel kh x kw, output oh x ow. */
    record Geom(int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
        int ckk() {
            return c * kh * kw;
        }
    }

    private Im2col() {}

    /** Fills {@code col} for output rows [oh0, oh1) of the image at {@code x[xOff]}. */
    static void im2col(Geom g, float[] x, int xOff, int oh0, int oh1, float[] col) {
        int cols = (oh1 - oh0) * g.ow();
        for (int ci = 0; ci < g.c(); ci++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int rowBase = ((ci * g.kh() + ki) * g.kw() + kj) * cols;
                    int owLo = firstValid(kj, g.pw(), g.sw(), g.ow());
                    int owHi = lastValidExclusive(kj, g.pw(), g.sw(), g.w(), g.ow());
                    for (int oh = oh0; oh < oh1; oh++) {
                        int d = rowBase + (oh - oh0) * g.ow();
                        int ih = oh * g.sh() - g.ph() + ki;
                        if (ih < 0 || ih >= g.h() || owLo >= owHi) {
                            Arrays.fill(col, d, d + g.ow(), 0f);
                            continue;
                        }
                        Arrays.fill(col, d, d + owLo, 0f);
                        Arrays.fill(col, d + owHi, d + g.ow(), 0f);
                        int src = xOff + (ci * g.h() + ih) * g.w() - g.pw() + kj;
                        if (g.sw() == 1) {
                            System.arraycopy(x, src + owLo, col, d + owLo, owHi - owLo);
                        } else {
                            for (int o = owLo; o < owHi; o++) {
                                col[d + o] = x[src + o * g.sw()];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Scatter-adds {@code col} (same layout as {@link #im2col}) into the image at {@code gx[xOff]}. */
    static void col2imAdd(Geom g, float[] col, int oh0, int oh1, float[] gx, int xOff) {
        int cols = (oh1 - oh0) * g.ow();
        for (int ci = 0; ci < g.c(); ci++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int rowBase = ((ci * g.kh() + ki) * g.kw() + kj) * cols;
                    int owLo = firstValid(kj, g.pw(), g.sw(), g.ow());
                    int owHi = lastValidExclusive(kj, g.pw(), g.sw(), g.w(), g.ow());
                    for (int oh = oh0; oh < oh1; oh++) {
                        int ih = oh * g.sh() - g.ph() + ki;
                        if (ih < 0 || ih >= g.h()) {
                            continue;
                        }
                        int d = rowBase + (oh - oh0) * g.ow();
                        int dst = xOff + (ci * g.h() + ih) * g.w() - g.pw() + kj;
                        for (int o = owLo; o < owHi; o++) {
                            gx[dst + o * g.sw()] += col[d + o];
                        }
                    }
                }
            }
        }
    }

    /** Smallest output column whose input column {@code o*s - p + kj} is ≥ 0. */
    private static int firstValid(int kj, int p, int s, int ow) {
        int need = p - kj; // o*s >= need
        return need <= 0 ? 0 : Math.min(ow, (need + s - 1) / s);
    }

    /** One past the largest output column whose input column {@code o*s - p + kj} is < w. */
    private static int lastValidExclusive(int kj, int p, int s, int w, int ow) {
        int lim = w - 1 + p - kj; // o*s <= lim
        return lim < 0 ? 0 : Math.min(ow, lim / s + 1);
    }
}
