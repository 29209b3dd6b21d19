package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.EntryPoint.Param;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.cuda.ReleasingResult;
import dev.groundwork.kernels.memory.DeviceBuffer;

import java.util.Arrays;
import java.util.List;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.allF32;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of attention.cu: fused multi-head scaled dot-product attention on CUDA, fp32,
 * FlashAttention-2 style, and the engine's {@link Attention.Kernel} on CUDA. Same semantics as
 * {@code dev.groundwork.engine.ops.Attention}: S = q kᵀ/√d + (1 − keyMask)·maskValue,
 * P = softmax(S) over keys, O = P v; but the forward keeps only the per-row log-sum-exp (LSE) of S
 * instead of P, and the backward recomputes P from it.
 *
 * <p>Shapes: q [B,H,Tq,d], k and v [B,H,Tk,d], keyMask [B,Tk] (1 keep, 0 pad; any dtype, cast to
 * F32) or null, out [B,H,Tq,d], lse [B,H,Tq]. Head dims 64 and 96 ({@link #supports}). All tensors
 * CUDA F32 except the mask; non-contiguous inputs are copied dense first, non-contiguous outputs are
 * written through a dense temporary. Backward: gradients dq/dk/dv shaped like q/k/v; any of them
 * may be null to skip it. The backward is deterministic (dQ comes from its own kernel, no atomics).
 * With a {@link Drop}, the _drop kernels regenerate the dropout mask in every pass from (seed, offset).
 */
public final class AttentionKernels {
    private AttentionKernels() {}

    static final String FILE = "attention";
    /** Threads per block of every kernel, query rows per forward block, keys per tile in every kernel (attention_tiles.cuh). */
    @CudaDefine("GW_ATT_THREADS") static final int THREADS = 128;
    @CudaDefine("GW_ATT_BQ") static final int FWD_QUERY_TILE = 64;
    @CudaDefine("GW_ATT_BK") static final int KEY_TILE = 32;
    /** Query rows per block of the backward kernels, per head dim. */
    @CudaDefine("GW_ATT_BWD_BQ_D64") static final int BWD_QUERY_TILE_D64 = 32;
    @CudaDefine("GW_ATT_BWD_BQ_D96") static final int BWD_QUERY_TILE_D96 = 16;
    /** Rows per block of the preprocess kernel (one warp each). */
    private static final int PRE_ROWS = THREADS / 32;
    /** Largest grid y; B*H beyond it spills into grid z (the kernels fold y and z back together). */
    static final int MAX_GRID_Y = 65535;

    /** q, k, v, mask, out, lse, then Tq, Tk, H, BH, scale, maskValue. */
    static final List<EntryPoint> FORWARD = Drop.variants(FILE, "gw_attention_fwd",
            PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, F32, F32);
    static final EntryPoint PREPROCESS = EntryPoint.of(FILE, "gw_attention_bwd_preprocess", PTR, PTR, PTR, I32, I32);
    /** q, k, v, mask, dout, lse, delta, dk, dv, then the sizes as the forward. */
    static final List<EntryPoint> BACKWARD_DKV = Drop.variants(FILE, "gw_attention_bwd_dkv",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, F32, F32);
    /** q, k, v, mask, dout, lse, delta, dq, then the sizes as the forward. */
    static final List<EntryPoint> BACKWARD_DQ = Drop.variants(FILE, "gw_attention_bwd_dq",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, F32, F32);

    /** Whether the kernels are built for this head dim. */
    public static boolean supports(int headDim) { return headDim == 64 || headDim == 96; }

    /** Query rows per block of the backward kernels. */
    static int bwdQueryTile(int headDim) { return headDim == 64 ? BWD_QUERY_TILE_D64 : BWD_QUERY_TILE_D96; }

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

        /**
         * The entry points {stem}_d64, {stem}_drop_d64, {stem}_d96, {stem}_drop_d96 of file: the
         * _drop ones take (double keep, seed, offset) after params.
         */
        static List<EntryPoint> variants(String file, String stem, Param... params) {
            EntryPoint d64 = EntryPoint.of(file, stem + "_d64", params), d96 = EntryPoint.of(file, stem + "_d96", params);
            return List.of(d64, d64.with(stem + "_drop_d64", F64, I64, I64), d96, d96.with(stem + "_drop_d96", F64, I64, I64));
        }

        /** This drop's entry point for head dim d among {@link #variants}. */
        EntryPoint pick(List<EntryPoint> variants, int d) { return variants.get((d == 64 ? 0 : 2) + (on() ? 1 : 0)); }

        /** Appends (keep, seed, offset) for the _drop kernels; nothing otherwise. */
        KernelArgs append(KernelArgs a) { return on() ? a.f64(keep).i64(seed).i64(offset) : a; }
    }

    record Dims(int b, int h, int tq, int tk, int d) {
        int bh() { return b * h; }
        int gridY() { return Math.max(1, Math.min(bh(), MAX_GRID_Y)); }
        int gridZ() { return (bh() + gridY() - 1) / gridY(); }
    }

    /** {@link #forward(CudaDevice, Tensor, Tensor, Tensor, Tensor, double, Drop, Tensor, Tensor)} without dropout. */
    public static void forward(CudaDevice dev, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, Tensor out, Tensor lse) {
        forward(dev, q, k, v, keyMask, maskValue, Drop.NONE, out, lse);
    }

    /**
     * O = dropout(softmax(q kᵀ/√d + mask bias)) v into out, and the row log-sum-exp of the scores
     * (before dropout) into lse.
     */
    public static void forward(CudaDevice dev, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, Drop drop,
                               Tensor out, Tensor lse) {
        Dims s = check("attention forward", q, k, v, keyMask);
        expect("attention forward", "out", out, s.b, s.h, s.tq, s.d);
        expect("attention forward", "lse", lse, s.b, s.h, s.tq);
        if (s.bh() == 0 || s.tq == 0) return;
        Tensor qd = dev.dense(q), kd = dev.dense(k), vd = dev.dense(v), md = maskF32(dev, keyMask);
        Tensor od = dest(dev, out), ld = dest(dev, lse);
        try {
            dev.launcher().launch(drop.append(drop.pick(FORWARD, s.d).args().ptr(addr(qd)).ptr(addr(kd)).ptr(addr(vd))
                            .ptr(md == null ? 0 : addr(md)).ptr(addr(od)).ptr(addr(ld))
                            .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)),
                    ceil(s.tq, FWD_QUERY_TILE), s.gridY(), s.gridZ(), THREADS, 1, 1, 0);
            if (od != out) dev.copy(od, out);
            if (ld != lse) dev.copy(ld, lse);
        } finally {
            closeIfCopy(qd, q);
            closeIfCopy(kd, k);
            closeIfCopy(vd, v);
            closeIfCopy(md, keyMask);
            closeIfCopy(od, out);
            closeIfCopy(ld, lse);
        }
    }

    /** {@link #backward(CudaDevice, Tensor, Tensor, Tensor, Tensor, double, Drop, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} without dropout. */
    public static void backward(CudaDevice dev, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue,
                                Tensor out, Tensor lse, Tensor gradOut, Tensor dq, Tensor dk, Tensor dv) {
        backward(dev, q, k, v, keyMask, maskValue, Drop.NONE, out, lse, gradOut, dq, dk, dv);
    }

    /**
     * Gradients of {@link #forward} given out and lse from it (and the same drop, whose mask is
     * regenerated) and gradOut = dL/dout: dq, dk, dv (each nullable to skip it), overwritten, not
     * accumulated.
     */
    public static void backward(CudaDevice dev, Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, Drop drop,
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
            if (dk != null) dev.fill(dk, 0);
            if (dv != null) dev.fill(dv, 0);
            return;
        }
        int bq = bwdQueryTile(s.d);
        Tensor qd = dev.dense(q), kd = dev.dense(k), vd = dev.dense(v), md = maskF32(dev, keyMask);
        Tensor od = dev.dense(out), ld = dev.dense(lse), gd = dev.dense(gradOut);
        Tensor dqd = dest(dev, dq), dkd = dest(dev, dk), dvd = dest(dev, dv);
        int rows = s.bh() * s.tq;
        try (DeviceBuffer delta = dev.scratch((long) rows * Float.BYTES)) {
            dev.launcher().launch(PREPROCESS.args().ptr(addr(gd)).ptr(addr(od)).ptr(delta.address()).i32(rows).i32(s.d),
                    ceil(rows, PRE_ROWS), 1, 1, THREADS, 1, 1, 0);
            if (dk != null || dv != null)
                dev.launcher().launch(drop.append(inputs(drop.pick(BACKWARD_DKV, s.d), qd, kd, vd, md, gd, ld, delta.address())
                                .ptr(dk == null ? 0 : addr(dkd)).ptr(dv == null ? 0 : addr(dvd))
                                .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)),
                        ceil(s.tk, KEY_TILE), s.gridY(), s.gridZ(), THREADS, 1, 1, 0);
            if (dq != null)
                dev.launcher().launch(drop.append(inputs(drop.pick(BACKWARD_DQ, s.d), qd, kd, vd, md, gd, ld, delta.address())
                                .ptr(addr(dqd))
                                .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)),
                        ceil(s.tq, bq), s.gridY(), s.gridZ(), THREADS, 1, 1, 0);
            if (dq != null && dqd != dq) dev.copy(dqd, dq);
            if (dk != null && dkd != dk) dev.copy(dkd, dk);
            if (dv != null && dvd != dv) dev.copy(dvd, dv);
        } finally {
            closeIfCopy(qd, q);
            closeIfCopy(kd, k);
            closeIfCopy(vd, v);
            closeIfCopy(md, keyMask);
            closeIfCopy(od, out);
            closeIfCopy(ld, lse);
            closeIfCopy(gd, gradOut);
            closeIfCopy(dqd, dq);
            closeIfCopy(dkd, dk);
            closeIfCopy(dvd, dv);
        }
    }

    /** The leading arguments shared by the two backward kernels: q, k, v, mask, dout, lse, delta. */
    private static KernelArgs inputs(EntryPoint e, Tensor q, Tensor k, Tensor v, Tensor mask, Tensor gradOut, Tensor lse, long delta) {
        return e.args().ptr(addr(q)).ptr(addr(k)).ptr(addr(v)).ptr(mask == null ? 0 : addr(mask))
                .ptr(addr(gradOut)).ptr(addr(lse)).ptr(delta);
    }

    static float scale(int d) { return (float) (1 / Math.sqrt(d)); }

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
    static Tensor maskF32(CudaDevice dev, Tensor m) {
        if (m == null || m.dtype() == DType.F32) return dev.dense(m);
        Tensor c = dev.empty(DType.F32, m.shape());
        dev.copy(m, c);
        return c;
    }

    /** Where a kernel writes output t: t itself when contiguous, else a dense temporary to copy back. */
    static Tensor dest(CudaDevice dev, Tensor t) {
        if (t == null || t.isContiguous()) return t;
        return dev.empty(t.dtype(), t.shape());
    }

    // ------------------------------------------------------------------ the engine's op on these kernels

    /**
     * {@link Attention.Kernel} on dev: these kernels, or attention_bf16*.cu's when the device says so
     * ({@link CudaDevice#attentionBf16()}); null (compose) for head dims other than 64 and 96, other
     * dtypes, or no keys.
     */
    public static Attention.Kernel fused(CudaDevice dev) {
        return (q, k, v, mask, maskValue, dropout, seed, offset, forBackward) -> {
            int d = q.size(3);
            if (!supports(d) || v.size(3) != d || !allF32(q, k, v)) return null;
            int b = q.size(0), h = q.size(1), tq = q.size(2);
            if (k.size(2) == 0) return null;
            Drop drop = dropout > 0 ? new Drop(1 - dropout, seed, offset) : Drop.NONE;
            if (dev.attentionBf16()) return AttentionBf16Kernels.fused(dev, q, k, v, mask, maskValue, drop);
            Tensor out = dev.empty(DType.F32, b, h, tq, d), lse = dev.empty(DType.F32, b, h, tq);
            forward(dev, q, k, v, mask, maskValue, drop, out, lse);
            return ReleasingResult.of(out, g -> {
                Tensor dq = q.requiresGrad() ? dev.empty(DType.F32, q.shape()) : null;
                Tensor dk = k.requiresGrad() ? dev.empty(DType.F32, k.shape()) : null;
                Tensor dv = v.requiresGrad() ? dev.empty(DType.F32, v.shape()) : null;
                backward(dev, q, k, v, mask, maskValue, drop, out, lse, g, dq, dk, dv);
                return new Tensor[]{dq, dk, dv, null};
            }, lse);
        };
    }
}
