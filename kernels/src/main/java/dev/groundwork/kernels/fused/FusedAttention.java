package dev.groundwork.kernels.fused;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.memory.DeviceBuffer;

import java.util.Arrays;

import static dev.groundwork.kernels.backend.CudaBackend.addr;

/**
 * Host side of attention.cu: fused multi-head scaled dot-product attention on CUDA, fp32,
 * FlashAttention-2 style. Same semantics as {@code dev.groundwork.engine.ops.Attention}:
 * S = q kᵀ/√d + (1 − keyMask)·maskValue, P = softmax(S) over keys, O = P v; but the forward keeps
 * only the per-row log-sum-exp (LSE) of S instead of P, and the backward recomputes P from it.
 *
 * <p>Shapes: q [B,H,Tq,d], k and v [B,H,Tk,d], keyMask [B,Tk] (1 keep, 0 pad; any dtype, cast to
 * F32) or null, out [B,H,Tq,d], lse [B,H,Tq]. Head dims 64 and 96 ({@link #supports}). All tensors
 * CUDA F32 except the mask; non-contiguous inputs are copied dense first, non-contiguous outputs are
 * written through a dense temporary. Backward: gradients dq/dk/dv shaped like q/k/v; any of them
 * may be null to skip it. The backward is deterministic (dQ comes from its own kernel, no atomics).
 * With a {@link Drop}, the _drop kernels regenerate the dropout mask in every pass from (seed, offset).
 */
public final class FusedAttention {
    private FusedAttention() {}

    private static final String MODULE = "attention";
    private static final int THREADS = 128;
    /** Query rows per forward block; keys per tile in every kernel (must match attention.cu). */
    static final int FWD_QUERY_TILE = 64, KEY_TILE = 32;
    /** Rows per block of the preprocess kernel (one warp each). */
    private static final int PRE_ROWS = THREADS / 32;
    /** Largest grid y; B*H beyond it spills into grid z (the kernels fold y and z back together). */
    private static final int MAX_GRID_Y = 65535;

    /** Whether the kernels are built for this head dim. */
    public static boolean supports(int headDim) { return headDim == 64 || headDim == 96; }

    /** Query rows per block of the backward kernels (GW_ATT_BWD_BQ_D64 / _D96 in attention.cu). */
    static int bwdQueryTile(int headDim) { return headDim == 64 ? 32 : 16; }

    /**
     * Inverted dropout on the probabilities: keep = 1 − p, and the Philox (seed, offset) from which
     * probability (b,h,i,j) draws counter offset + ((b·H + h)·Tq + i)·Tk + j, as the engine's
     * {@code Attention} defines it. {@link #NONE} runs the kernels without any dropout code.
     */
    public record Drop(double keep, long seed, long offset) {
        public static final Drop NONE = new Drop(1, 0, 0);

        public Drop {
            if (!(keep > 0 && keep <= 1)) throw new IllegalArgumentException("attention dropout: keep probability must be in (0, 1], got " + keep);
        }

        boolean on() { return keep < 1; }

        /** The kernel's entry point: gw_attention_{stem}[_drop]_d{d}. */
        String kernel(String stem, int d) { return "gw_attention_" + stem + (on() ? "_drop" : "") + "_d" + d; }

        /** Appends (keep, seed, offset) for the _drop kernels; nothing otherwise. */
        KernelArgs append(KernelArgs a) { return on() ? a.f64(keep).i64(seed).i64(offset) : a; }
    }

    private record Dims(int b, int h, int tq, int tk, int d) {
        int bh() { return b * h; }
        int gridY() { return Math.max(1, Math.min(bh(), MAX_GRID_Y)); }
        int gridZ() { return (bh() + gridY() - 1) / gridY(); }
    }

    /** {@link #forward(CudaBackend, Tensor, Tensor, Tensor, Tensor, double, Drop, Tensor, Tensor)} without dropout. */
    public static void forward(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, Tensor out, Tensor lse) {
        forward(be, q, k, v, keyMask, maskValue, Drop.NONE, out, lse);
    }

    /**
     * O = dropout(softmax(q kᵀ/√d + mask bias)) v into out, and the row log-sum-exp of the scores
     * (before dropout) into lse.
     */
    public static void forward(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, Drop drop,
                               Tensor out, Tensor lse) {
        Dims s = check("attention forward", q, k, v, keyMask);
        expect("attention forward", "out", out, s.b, s.h, s.tq, s.d);
        expect("attention forward", "lse", lse, s.b, s.h, s.tq);
        if (s.bh() == 0 || s.tq == 0) return;
        Tensor qd = be.dense(q), kd = be.dense(k), vd = be.dense(v), md = maskF32(be, keyMask);
        Tensor od = dest(be, out), ld = dest(be, lse);
        try {
            be.launcher().launch(MODULE, drop.kernel("fwd", s.d), ceil(s.tq, FWD_QUERY_TILE), s.gridY(), s.gridZ(), THREADS, 1, 1, 0,
                    drop.append(new KernelArgs().ptr(addr(qd)).ptr(addr(kd)).ptr(addr(vd)).ptr(md == null ? 0 : addr(md))
                            .ptr(addr(od)).ptr(addr(ld))
                            .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)));
            if (od != out) be.copy(od, out);
            if (ld != lse) be.copy(ld, lse);
        } finally {
            CudaBackend.closeIfCopy(qd, q);
            CudaBackend.closeIfCopy(kd, k);
            CudaBackend.closeIfCopy(vd, v);
            CudaBackend.closeIfCopy(md, keyMask);
            CudaBackend.closeIfCopy(od, out);
            CudaBackend.closeIfCopy(ld, lse);
        }
    }

    /** {@link #backward(CudaBackend, Tensor, Tensor, Tensor, Tensor, double, Drop, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} without dropout. */
    public static void backward(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue,
                                Tensor out, Tensor lse, Tensor gradOut, Tensor dq, Tensor dk, Tensor dv) {
        backward(be, q, k, v, keyMask, maskValue, Drop.NONE, out, lse, gradOut, dq, dk, dv);
    }

    /**
     * Gradients of {@link #forward} given out and lse from it (and the same drop, whose mask is
     * regenerated) and gradOut = dL/dout: dq, dk, dv (each nullable to skip it), overwritten, not
     * accumulated.
     */
    public static void backward(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, Drop drop,
                                Tensor out, Tensor lse, Tensor gradOut, Tensor dq, Tensor dk, Tensor dv) {
        String what = "attention backward";
        Dims s = check(what, q, k, v, keyMask);
        expect(what, "out", out, s.b, s.h, s.tq, s.d);
        expect(what, "lse", lse, s.b, s.h, s.tq);
        expect(what, "grad_out", gradOut, s.b, s.h, s.tq, s.d);
        if (dq != null) expect(what, "dq", dq, s.b, s.h, s.tq, s.d);
        if (dk != null) expect(what, "dk", dk, s.b, s.h, s.tk, s.d);
        if (dv != null) expect(what, "dv", dv, s.b, s.h, s.tk, s.d);
        if (s.bh() == 0 || (dq == null && dk == null && dv == null)) return;
        if (s.tq == 0) {  // no queries: nothing flows into k and v
            if (dk != null) be.fill(dk, 0);
            if (dv != null) be.fill(dv, 0);
            return;
        }
        int bq = bwdQueryTile(s.d);
        Tensor qd = be.dense(q), kd = be.dense(k), vd = be.dense(v), md = maskF32(be, keyMask);
        Tensor od = be.dense(out), ld = be.dense(lse), gd = be.dense(gradOut);
        Tensor dqd = dest(be, dq), dkd = dest(be, dk), dvd = dest(be, dv);
        int rows = s.bh() * s.tq;
        try (DeviceBuffer delta = be.scratch((long) rows * Float.BYTES)) {
            be.launcher().launch(MODULE, "gw_attention_bwd_preprocess", ceil(rows, PRE_ROWS), 1, 1, THREADS, 1, 1, 0,
                    new KernelArgs().ptr(addr(gd)).ptr(addr(od)).ptr(delta.address()).i32(rows).i32(s.d));
            if (dk != null || dv != null)
                be.launcher().launch(MODULE, drop.kernel("bwd_dkv", s.d), ceil(s.tk, KEY_TILE), s.gridY(), s.gridZ(), THREADS, 1, 1, 0,
                        drop.append(common(s, qd, kd, vd, md, gd, ld, delta.address())
                                .ptr(dk == null ? 0 : addr(dkd)).ptr(dv == null ? 0 : addr(dvd))
                                .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)));
            if (dq != null)
                be.launcher().launch(MODULE, drop.kernel("bwd_dq", s.d), ceil(s.tq, bq), s.gridY(), s.gridZ(), THREADS, 1, 1, 0,
                        drop.append(common(s, qd, kd, vd, md, gd, ld, delta.address())
                                .ptr(addr(dqd))
                                .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)));
            if (dq != null && dqd != dq) be.copy(dqd, dq);
            if (dk != null && dkd != dk) be.copy(dkd, dk);
            if (dv != null && dvd != dv) be.copy(dvd, dv);
        } finally {
            CudaBackend.closeIfCopy(qd, q);
            CudaBackend.closeIfCopy(kd, k);
            CudaBackend.closeIfCopy(vd, v);
            CudaBackend.closeIfCopy(md, keyMask);
            CudaBackend.closeIfCopy(od, out);
            CudaBackend.closeIfCopy(ld, lse);
            CudaBackend.closeIfCopy(gd, gradOut);
            CudaBackend.closeIfCopy(dqd, dq);
            CudaBackend.closeIfCopy(dkd, dk);
            CudaBackend.closeIfCopy(dvd, dv);
        }
    }

    /** The leading arguments shared by the two backward kernels: q, k, v, mask, dout, lse, delta. */
    private static KernelArgs common(Dims s, Tensor q, Tensor k, Tensor v, Tensor mask, Tensor gradOut, Tensor lse, long delta) {
        return new KernelArgs().ptr(addr(q)).ptr(addr(k)).ptr(addr(v)).ptr(mask == null ? 0 : addr(mask))
                .ptr(addr(gradOut)).ptr(addr(lse)).ptr(delta);
    }

    private static float scale(int d) { return (float) (1 / Math.sqrt(d)); }

    private static int ceil(int n, int tile) { return (n + tile - 1) / tile; }

    /** Validates q, k, v and the mask; returns the dims. */
    private static Dims check(String what, Tensor q, Tensor k, Tensor v, Tensor keyMask) {
        if (q == null || k == null || v == null) throw new IllegalArgumentException(what + ": q, k and v are required");
        for (Tensor t : new Tensor[]{q, k, v}) {
            if (t.dim() != 4) throw new IllegalArgumentException(what + ": q, k, v must be [B,H,T,d], got " + Shape.str(t.shape()));
        }
        int b = q.size(0), h = q.size(1), tq = q.size(2), d = q.size(3), tk = k.size(2);
        if (k.size(0) != b || v.size(0) != b || k.size(1) != h || v.size(1) != h || k.size(3) != d || v.size(2) != tk || v.size(3) != d)
            throw new IllegalArgumentException(what + ": q " + Shape.str(q.shape()) + ", k " + Shape.str(k.shape()) + ", v " + Shape.str(v.shape())
                    + " must be [B,H,Tq,d], [B,H,Tk,d], [B,H,Tk,d]");
        if (!supports(d))
            throw new IllegalArgumentException(what + ": head dim " + d + " is not supported by the fused kernel (64 and 96 are)");
        if (tk == 0 && tq > 0 && b * h > 0)
            throw new IllegalArgumentException(what + ": no keys (Tk = 0): softmax over an empty set is undefined");
        if (keyMask != null && !Arrays.equals(keyMask.shape(), new int[]{b, tk}))
            throw new IllegalArgumentException(what + ": key_mask " + Shape.str(keyMask.shape()) + " must be [" + b + ", " + tk + "]");
        f32(what, "q", q);
        f32(what, "k", k);
        f32(what, "v", v);
        if (keyMask != null && !keyMask.device().equals(q.device()))
            throw new IllegalArgumentException(what + ": key_mask is on " + keyMask.device() + ", q on " + q.device());
        return new Dims(b, h, tq, tk, d);
    }

    private static void expect(String what, String name, Tensor t, int... shape) {
        if (t == null) throw new IllegalArgumentException(what + ": " + name + " is required");
        if (!Arrays.equals(t.shape(), shape))
            throw new IllegalArgumentException(what + ": " + name + " " + Shape.str(t.shape()) + " must be " + Shape.str(shape));
        f32(what, name, t);
    }

    private static void f32(String what, String name, Tensor t) {
        if (t.dtype() != DType.F32) throw new IllegalArgumentException(what + ": " + name + " must be float32, got " + t.dtype());
        if (t.device().type() != Device.Type.CUDA) throw new IllegalArgumentException(what + ": " + name + " must be on a CUDA device, got " + t.device());
    }

    /** The mask as a dense F32 tensor: itself, or a copy to close with closeIfCopy. */
    static Tensor maskF32(CudaBackend be, Tensor m) {
        if (m == null || m.dtype() == DType.F32) return be.dense(m);
        Tensor c = be.empty(DType.F32, m.shape());
        be.copy(m, c);
        return c;
    }

    /** Where a kernel writes output t: t itself when contiguous, else a dense temporary to copy back. */
    static Tensor dest(CudaBackend be, Tensor t) {
        if (t == null || t.isContiguous()) return t;
        return be.empty(t.dtype(), t.shape());
    }
}
