package dev.groundwork.kernels.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.backend.CudaBackend.addr;

/**
 * Host side of softmax.cu and layer_norm.cu: row kernels over the last dim. A softmax over another
 * dim is moved last by a transposed copy and moved back after.
 */
final class CudaRows {
    private CudaRows() {}

    static int threads(int len) {
        int t = 32;
        while (t < len && t < 1024) t <<= 1;
        return Math.max(32, Math.min(t, len <= 1024 ? t : 512));
    }

    private static void f32(String what, Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) throw new IllegalArgumentException(what + ": CUDA computes float32, got " + t.dtype());
    }

    /** Per-lane register count for the warp-per-row kernels (len <= 1024), a power of two. */
    static int lanesPerRow(int len) {
        int n = 1;
        while (32 * n < len) n <<= 1;
        return n;
    }

    /** A raw view of t with dims d and last swapped (no autograd). */
    private static Tensor swapLast(Tensor t, int d) {
        int[] sh = t.shape(), st = t.strides();
        int l = sh.length - 1;
        int a = sh[d]; sh[d] = sh[l]; sh[l] = a;
        int b = st[d]; st[d] = st[l]; st[l] = b;
        return t.asStrided(sh, st, t.offset());
    }

    /** t moved to last-dim-contiguous form: itself, or a new tensor to close. */
    private static Tensor lastDense(CudaBackend be, Tensor t, int dim) {
        if (dim == t.dim() - 1) return be.dense(t);
        try (Tensor v = swapLast(t, dim)) {
            Tensor c = be.empty(t.dtype(), v.shape());
            be.copy(v, c);
            return c;
        }
    }

    /** Writes the last-dim result r back into out, undoing the swap. */
    private static void store(CudaBackend be, Tensor r, Tensor out, int dim) {
        if (r == out) return;
        if (dim == out.dim() - 1) { be.copy(r, out); return; }
        try (Tensor v = swapLast(out, dim)) {
            be.copy(r, v);
        }
    }

    static void softmax(CudaBackend be, Tensor x, int dim, boolean log, Tensor out) {
        f32("softmax", x, out);
        if (x.numel() == 0) return;
        int len = x.size(dim), rows = x.numel() / len;
        Tensor xd = lastDense(be, x, dim);
        Tensor od = dim == out.dim() - 1 && out.isContiguous() ? out : be.empty(DType.F32, xd.shape());
        try {
            if (len <= 1024) {
                be.launcher().launch("softmax", "gw_softmax_warp" + lanesPerRow(len) + "_f32", (rows + 7) / 8, 1, 1, 256, 1, 1, 0,
                        new KernelArgs().ptr(addr(xd)).ptr(addr(od)).i64(rows).i32(len).i32(log ? 1 : 0));
            } else {
                be.launcher().launch("softmax", "gw_softmax_f32", rows, 1, 1, threads(len), 1, 1, 0,
                        new KernelArgs().ptr(addr(xd)).ptr(addr(od)).i32(len).i32(log ? 1 : 0));
            }
            store(be, od, out, dim);
        } finally {
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(od, out);
        }
    }

    static void softmaxBackward(CudaBackend be, Tensor g, Tensor y, int dim, boolean log, Tensor gx) {
        f32("softmax backward", g, y, gx);
        if (y.numel() == 0) return;
        int len = y.size(dim), rows = y.numel() / len;
        Tensor gd = lastDense(be, g, dim), yd = lastDense(be, y, dim);
        Tensor od = dim == gx.dim() - 1 && gx.isContiguous() ? gx : be.empty(DType.F32, yd.shape());
        try {
            be.launcher().launch("softmax", "gw_softmax_bwd_f32", rows, 1, 1, threads(len), 1, 1, 0,
                    new KernelArgs().ptr(addr(gd)).ptr(addr(yd)).ptr(addr(od)).i32(len).i32(log ? 1 : 0));
            store(be, od, gx, dim);
        } finally {
            CudaBackend.closeIfCopy(gd, g);
            CudaBackend.closeIfCopy(yd, y);
            CudaBackend.closeIfCopy(od, gx);
        }
    }

    static void layerNorm(CudaBackend be, Tensor x, Tensor w, Tensor b, double eps, Tensor out, Tensor mean, Tensor rstd) {
        f32("layer_norm", x, w, b, out, mean, rstd);
        int rows = mean.numel();
        if (rows == 0) return;
        int d = x.numel() / rows;
        Tensor xd = be.dense(x), wd = be.dense(w), bd = be.dense(b), od = be.dense(out);
        try {
            long wa = w == null ? 0 : addr(wd), ba = b == null ? 0 : addr(bd);
            if (d <= 1024) {
                be.launcher().launch("layer_norm", "gw_layer_norm_warp" + lanesPerRow(d) + "_f32", (rows + 7) / 8, 1, 1, 256, 1, 1, 0,
                        new KernelArgs().ptr(addr(xd)).ptr(wa).ptr(ba).ptr(addr(od)).ptr(addr(mean)).ptr(addr(rstd))
                                .i64(rows).i32(d).f32((float) eps));
            } else {
                be.launcher().launch("layer_norm", "gw_layer_norm_f32", rows, 1, 1, threads(d), 1, 1, 0,
                        new KernelArgs().ptr(addr(xd)).ptr(wa).ptr(ba).ptr(addr(od))
                                .ptr(addr(mean)).ptr(addr(rstd)).i32(d).f32((float) eps));
            }
            if (od != out) be.copy(od, out);
        } finally {
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(wd, w);
            CudaBackend.closeIfCopy(bd, b);
            CudaBackend.closeIfCopy(od, out);
        }
    }

    static void layerNormBackward(CudaBackend be, Tensor g, Tensor x, Tensor w, Tensor mean, Tensor rstd,
                                  Tensor gx, Tensor gw, Tensor gb) {
        f32("layer_norm backward", g, x, w, mean, rstd, gx, gw, gb);
        int rows = mean.numel();
        if (rows == 0) return;
        int d = x.numel() / rows;
        Tensor gd = be.dense(g), xd = be.dense(x), wd = be.dense(w), od = be.dense(gx);
        try {
            be.launcher().launch("layer_norm", "gw_layer_norm_bwd_f32", rows, 1, 1, threads(d), 1, 1, 0,
                    new KernelArgs().ptr(addr(gd)).ptr(addr(xd)).ptr(w == null ? 0 : addr(wd)).ptr(addr(mean)).ptr(addr(rstd))
                            .ptr(addr(od)).i32(d));
            if (od != gx) be.copy(od, gx);
            if (gw != null || gb != null) columnParams(be, gd, xd, mean, rstd, rows, d, gw, gb);
        } finally {
            CudaBackend.closeIfCopy(gd, g);
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(wd, w);
            CudaBackend.closeIfCopy(od, gx);
        }
    }

    /** dw = Σ_rows g·xhat, db = Σ_rows g, in two deterministic stages. */
    private static void columnParams(CudaBackend be, Tensor g, Tensor x, Tensor mean, Tensor rstd, int rows, int d, Tensor gw, Tensor gb) {
        int chunks = Math.max(1, Math.min(256, rows / 32));
        int per = (rows + chunks - 1) / chunks;
        chunks = (rows + per - 1) / per;
        try (DeviceBuffer pw = be.scratch((long) chunks * d * 4); DeviceBuffer pb = be.scratch((long) chunks * d * 4)) {
            be.launcher().launch("layer_norm", "gw_layer_norm_params_partial", (d + 255) / 256, chunks, 1, 256, 1, 1, 0,
                    new KernelArgs().ptr(addr(g)).ptr(addr(x)).ptr(addr(mean)).ptr(addr(rstd)).ptr(pw.address()).ptr(pb.address())
                            .i32(rows).i32(d).i32(per));
            if (gw != null) columnSum(be, pw.address(), gw, chunks, d);
            if (gb != null) columnSum(be, pb.address(), gb, chunks, d);
        }
    }

    static void columnSum(CudaBackend be, long partial, Tensor out, int chunks, int d) {
        Tensor od = be.dense(out);
        try {
            be.launcher().launch("layer_norm", "gw_column_sum_f32", (d + 255) / 256, 1, 1, 256, 1, 1, 0,
                    new KernelArgs().ptr(partial).ptr(addr(od)).i32(chunks).i32(d));
            if (od != out) be.copy(od, out);
        } finally {
            CudaBackend.closeIfCopy(od, out);
        }
    }

    static String str(Tensor t) { return Shape.str(t.shape()); }
}
