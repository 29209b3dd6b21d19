package dev.groundwork.engine.cpu;

/**
 * Pooling over contiguous NCHW planes, any dtype (memory-bound, so one generic version serves).
 * Windows follow PyTorch: floor mode, zero padding counted in averages (count_include_pad), adaptive
 * windows [floor(i*in/out), ceil((i+1)*in/out)).
 */
final class CpuPool {
    private CpuPool() {}

    static void maxForward(CpuStorage x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                           int oh, int ow, CpuStorage out, CpuStorage idx) {
        CpuThreads.parallelFor(0, planes, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w, ob = p * oh * ow;
                for (int y = 0; y < oh; y++)
                    for (int xo = 0; xo < ow; xo++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int arg = -1;
                        for (int i = 0; i < kh; i++) {
                            int iy = y * sh - ph + i;
                            if (iy < 0 || iy >= h) continue;
                            for (int j = 0; j < kw; j++) {
                                int ix = xo * sw - pw + j;
                                if (ix < 0 || ix >= w) continue;
                                double v = x.get(xb + iy * w + ix);
                                if (arg < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                                    best = v;
                                    arg = iy * w + ix;
                                }
                            }
                        }
                        out.set(ob + y * ow + xo, best);
                        idx.set(ob + y * ow + xo, arg);
                    }
            }
        });
    }

    static void maxBackward(CpuStorage gy, CpuStorage idx, int planes, int hw, int ohw, CpuStorage gx) {
        CpuThreads.parallelFor(0, planes, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int i = 0; i < hw; i++) gx.set(p * hw + i, 0);
                for (int i = 0; i < ohw; i++) {
                    int t = p * hw + (int) idx.get(p * ohw + i);
                    gx.set(t, gx.get(t) + gy.get(p * ohw + i));
                }
            }
        });
    }

    /** Average pooling; backward scatters gradOut/window into the window (same windows). */
    static void avg(boolean backward, CpuStorage in, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                    int oh, int ow, CpuStorage outOrGradX) {
        double div = kh * kw;
        CpuThreads.parallelFor(0, planes, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w, ob = p * oh * ow;
                if (backward) for (int i = 0; i < h * w; i++) outOrGradX.set(xb + i, 0);
                for (int y = 0; y < oh; y++)
                    for (int xo = 0; xo < ow; xo++) {
                        double acc = 0;
                        double g = backward ? in.get(ob + y * ow + xo) / div : 0;
                        for (int i = 0; i < kh; i++) {
                            int iy = y * sh - ph + i;
                            if (iy < 0 || iy >= h) continue;
                            for (int j = 0; j < kw; j++) {
                                int ix = xo * sw - pw + j;
                                if (ix < 0 || ix >= w) continue;
                                int t = xb + iy * w + ix;
                                if (backward) outOrGradX.set(t, outOrGradX.get(t) + g);
                                else acc += in.get(t);
                            }
                        }
                        if (!backward) outOrGradX.set(ob + y * ow + xo, acc / div);
                    }
            }
        });
    }

    static void adaptiveAvg(boolean backward, CpuStorage in, int planes, int h, int w, int oh, int ow, CpuStorage outOrGradX) {
        CpuThreads.parallelFor(0, planes, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w, ob = p * oh * ow;
                if (backward) for (int i = 0; i < h * w; i++) outOrGradX.set(xb + i, 0);
                for (int y = 0; y < oh; y++) {
                    int y0 = Math.floorDiv(y * h, oh), y1 = -Math.floorDiv(-(y + 1) * h, oh);
                    for (int xo = 0; xo < ow; xo++) {
                        int x0 = Math.floorDiv(xo * w, ow), x1 = -Math.floorDiv(-(xo + 1) * w, ow);
                        double count = (y1 - y0) * (x1 - x0);
                        double acc = 0, g = backward ? in.get(ob + y * ow + xo) / count : 0;
                        for (int iy = y0; iy < y1; iy++)
                            for (int ix = x0; ix < x1; ix++) {
                                int t = xb + iy * w + ix;
                                if (backward) outOrGradX.set(t, outOrGradX.get(t) + g);
                                else acc += in.get(t);
                            }
                        if (!backward) outOrGradX.set(ob + y * ow + xo, acc / count);
                    }
                }
            }
        });
    }
}
