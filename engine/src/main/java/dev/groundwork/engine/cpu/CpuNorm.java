package dev.groundwork.engine.cpu;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Softmax and layer norm on contiguous operands. The reduced axis is viewed as (outer, len, inner);
 * the common case inner == 1 (last dim) runs float32 rows through the Vector API.
 */
final class CpuNorm {
    private CpuNorm() {}

    static void softmax(Tensor x, int dim, boolean log, Tensor out) {
        int len = x.size(dim), inner = 1, outer = 1;
        for (int d = dim + 1; d < x.dim(); d++) inner *= x.size(d);
        for (int d = 0; d < dim; d++) outer *= x.size(d);
        CpuStorage xs = CpuBackend.cpu(x), os = CpuBackend.cpu(out);
        int xo = x.offset(), oo = out.offset();
        final int in = inner;
        boolean fast = x.dtype() == DType.F32 && out.dtype() == DType.F32 && inner == 1;
        CpuThreads.parallelFor(0, outer * inner, Math.max(1, 4096 / Math.max(len, 1)), (from, to) -> {
            float[] lanes = new float[VectorMath.LANES];
            for (int r = from; r < to; r++) {
                int base = (r / in) * len * in + r % in;
                if (fast) {
                    VectorMath.softmaxRow(xs.f32(), xo + base, os.f32(), oo + base, len, log, lanes);
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) max = Math.max(max, xs.get(xo + base + k * in));
                double sum = 0;
                for (int k = 0; k < len; k++) sum += Math.exp(xs.get(xo + base + k * in) - max);
                double logSum = Math.log(sum);
                for (int k = 0; k < len; k++) {
                    double z = xs.get(xo + base + k * in) - max;
                    os.set(oo + base + k * in, log ? z - logSum : Math.exp(z) / sum);
                }
            }
        });
    }

    static void softmaxBackward(Tensor g, Tensor y, int dim, boolean log, Tensor gx) {
        int len = y.size(dim), inner = 1, outer = 1;
        for (int d = dim + 1; d < y.dim(); d++) inner *= y.size(d);
        for (int d = 0; d < dim; d++) outer *= y.size(d);
        CpuStorage gs = CpuBackend.cpu(g), ys = CpuBackend.cpu(y), xs = CpuBackend.cpu(gx);
        int go = g.offset(), yo = y.offset(), xo = gx.offset();
        final int in = inner;
        CpuThreads.parallelFor(0, outer * inner, Math.max(1, 4096 / Math.max(len, 1)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = (r / in) * len * in + r % in;
                double dot = 0;
                // softmax: dx = y * (g - sum(g*y)); log-softmax: dx = g - exp(y) * sum(g)
                for (int k = 0; k < len; k++) {
                    int i = base + k * in;
                    dot += log ? gs.get(go + i) : gs.get(go + i) * ys.get(yo + i);
                }
                for (int k = 0; k < len; k++) {
                    int i = base + k * in;
                    double gy = gs.get(go + i), yy = ys.get(yo + i);
                    xs.set(xo + i, log ? gy - Math.exp(yy) * dot : yy * (gy - dot));
                }
            }
        });
    }

    static void layerNorm(Tensor x, Tensor w, Tensor b, double eps, Tensor out, Tensor mean, Tensor rstd) {
        int d = w != null ? w.numel() : x.size(-1);
        int rows = x.numel() / Math.max(d, 1);
        CpuStorage xs = CpuBackend.cpu(x), os = CpuBackend.cpu(out), ms = CpuBackend.cpu(mean), rs = CpuBackend.cpu(rstd);
        CpuStorage ws = w == null ? null : CpuBackend.cpu(w), bs = b == null ? null : CpuBackend.cpu(b);
        boolean fast = x.dtype() == DType.F32 && out.dtype() == DType.F32 && mean.dtype() == DType.F32
                && (w == null || w.dtype() == DType.F32) && (b == null || b.dtype() == DType.F32);
        CpuThreads.parallelFor(0, rows, Math.max(1, 8192 / Math.max(d, 1)), (from, to) -> {
            float[] stats = new float[2], lanes = new float[VectorMath.LANES];
            for (int r = from; r < to; r++) {
                int base = r * d;
                if (fast) {
                    VectorMath.layerNormRow(xs.f32(), x.offset() + base, ws == null ? null : ws.f32(), ws == null ? 0 : w.offset(),
                            bs == null ? null : bs.f32(), bs == null ? 0 : b.offset(), (float) eps, os.f32(), out.offset() + base, d, stats, lanes);
                    ms.set(mean.offset() + r, stats[0]);
                    rs.set(rstd.offset() + r, stats[1]);
                    continue;
                }
                double s = 0;
                for (int k = 0; k < d; k++) s += xs.get(x.offset() + base + k);
                double mu = s / d;
                double v2 = 0;
                for (int k = 0; k < d; k++) { double t = xs.get(x.offset() + base + k) - mu; v2 += t * t; }
                double var = v2 / d;
                double rs0 = 1 / Math.sqrt(var + eps);
                ms.set(mean.offset() + r, mu);
                rs.set(rstd.offset() + r, rs0);
                for (int k = 0; k < d; k++) {
                    double v = (xs.get(x.offset() + base + k) - mu) * rs0;
                    if (ws != null) v *= ws.get(w.offset() + k);
                    if (bs != null) v += bs.get(b.offset() + k);
                    os.set(out.offset() + base + k, v);
                }
            }
        });
    }

    static void layerNormBackward(Tensor g, Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor gx, Tensor gw, Tensor gb) {
        int d = w != null ? w.numel() : x.size(-1);
        int rows = x.numel() / Math.max(d, 1);
        CpuStorage gs = CpuBackend.cpu(g), xs = CpuBackend.cpu(x), ms = CpuBackend.cpu(mean), rs = CpuBackend.cpu(rstd);
        CpuStorage ws = w == null ? null : CpuBackend.cpu(w), gxs = CpuBackend.cpu(gx);
        int threads = Math.max(1, Math.min(CpuThreads.threads(), rows));
        double[][] accW = new double[threads][d], accB = new double[threads][d];
        // Each task owns one slice of rows and one partial sum for dweight/dbias: no sharing.
        CpuThreads.parallelFor(0, threads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int from = (int) ((long) rows * t / threads), to = (int) ((long) rows * (t + 1) / threads);
                for (int r = from; r < to; r++) {
                    int base = r * d;
                    double mu = ms.get(mean.offset() + r), rsd = rs.get(rstd.offset() + r);
                    double sumDy = 0, sumDyXhat = 0;
                    for (int k = 0; k < d; k++) {
                        double xhat = (xs.get(x.offset() + base + k) - mu) * rsd;
                        double gy = gs.get(g.offset() + base + k);
                        double dy = ws == null ? gy : gy * ws.get(w.offset() + k);
                        sumDy += dy;
                        sumDyXhat += dy * xhat;
                        accW[t][k] += gy * xhat;
                        accB[t][k] += gy;
                    }
                    double mDy = sumDy / d, mDyXhat = sumDyXhat / d;
                    for (int k = 0; k < d; k++) {
                        double xhat = (xs.get(x.offset() + base + k) - mu) * rsd;
                        double gy = gs.get(g.offset() + base + k);
                        double dy = ws == null ? gy : gy * ws.get(w.offset() + k);
                        gxs.set(gx.offset() + base + k, rsd * (dy - mDy - xhat * mDyXhat));
                    }
                }
            }
        });
        if (gw != null || gb != null) {
            CpuStorage gws = gw == null ? null : CpuBackend.cpu(gw), gbs = gb == null ? null : CpuBackend.cpu(gb);
            for (int k = 0; k < d; k++) {
                double sw = 0, sb = 0;
                for (int t = 0; t < threads; t++) { sw += accW[t][k]; sb += accB[t][k]; }
                if (gws != null) gws.set(gw.offset() + k, sw);
                if (gbs != null) gbs.set(gb.offset() + k, sb);
            }
        }
    }
}
