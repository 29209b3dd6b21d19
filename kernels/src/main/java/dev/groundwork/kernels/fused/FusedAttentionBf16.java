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
 * Host side of attention_bf16.cu and attention_bf16_bwd.cu: fused attention on tensor cores, bf16
 * q, k, v, output and output gradient with fp32 accumulation and softmax, fp32 gradients;
 * {@link FusedAttention}'s semantics, dropout on the probabilities included ({@link FusedAttention.Drop}).
 * The engine has no bf16 tensors, so q, k, v and out are raw device buffers of bf16 elements in
 * [B,H,T,d] order (made by {@link GlueKernels#toBf16} and read back by {@link GlueKernels#fromBf16});
 * the mask [B,Tk] (CUDA, any dtype), lse [B,H,Tq] and the gradients (CUDA F32) are tensors.
 */
public final class FusedAttentionBf16 {
    private FusedAttentionBf16() {}

    private static final String MODULE = "attention_bf16", MODULE_BWD = "attention_bf16_bwd";
    /** Threads per block and query rows per block (GW_ATB_THREADS, GW_ATB_BQ in attention_bf16.cu). */
    static final int THREADS = 128, QUERY_TILE = 64;
    /** Keys per dK/dV block (GW_ATB_BWD_BK) and query rows per dQ block (GW_ATB_DQ_BQ). */
    static final int BWD_KEY_TILE = 64, DQ_QUERY_TILE = 64;
    private static final int MAX_GRID_Y = 65535;

    /** The shape of a bf16 attention call. */
    public record Dims(int b, int h, int tq, int tk, int d) {
        public Dims {
            if (b < 0 || h < 0 || tq < 0 || tk < 0) throw new IllegalArgumentException("attention bf16: negative size in B=" + b + " H=" + h + " Tq=" + tq + " Tk=" + tk);
            if (!FusedAttention.supports(d))
                throw new IllegalArgumentException("attention bf16: head dim " + d + " is not supported by the fused kernel (64 and 96 are)");
            if (tk == 0 && tq > 0 && b * h > 0)
                throw new IllegalArgumentException("attention bf16: no keys (Tk = 0): softmax over an empty set is undefined");
        }

        int bh() { return b * h; }
        long qBytes() { return 2L * bh() * tq * d; }
        long kBytes() { return 2L * bh() * tk * d; }
        int gridY() { return Math.max(1, Math.min(bh(), MAX_GRID_Y)); }
        int gridZ() { return (bh() + gridY() - 1) / gridY(); }
    }

    /** {@link #forward(CudaBackend, Dims, DeviceBuffer, DeviceBuffer, DeviceBuffer, Tensor, double, FusedAttention.Drop, DeviceBuffer, Tensor)} without dropout. */
    public static void forward(CudaBackend be, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                               DeviceBuffer out, Tensor lse) {
        forward(be, s, q, k, v, keyMask, maskValue, FusedAttention.Drop.NONE, out, lse);
    }

    /**
     * out = dropout(softmax(q kᵀ/√d + (1 − keyMask)·maskValue)) v in bf16, and the scores' row
     * log-sum-exp (fp32, before dropout) into lse.
     */
    public static void forward(CudaBackend be, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                               FusedAttention.Drop drop, DeviceBuffer out, Tensor lse) {
        String what = "attention bf16 forward";
        size(what, "q", q, s.qBytes());
        size(what, "k", k, s.kBytes());
        size(what, "v", v, s.kBytes());
        size(what, "out", out, s.qBytes());
        f32(what, "lse", lse, s.b, s.h, s.tq);
        mask(what, keyMask, s);
        if (s.bh() == 0 || s.tq == 0) return;
        Tensor md = FusedAttention.maskF32(be, keyMask);
        Tensor ld = FusedAttention.dest(be, lse);
        try {
            be.launcher().launch(MODULE, drop.kernel("bf16_fwd", s.d), (s.tq + QUERY_TILE - 1) / QUERY_TILE, s.gridY(), s.gridZ(), THREADS, 1, 1, 0,
                    drop.append(new KernelArgs().ptr(q.address()).ptr(k.address()).ptr(v.address()).ptr(md == null ? 0 : addr(md))
                            .ptr(out.address()).ptr(addr(ld))
                            .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)));
            if (ld != lse) be.copy(ld, lse);
        } finally {
            CudaBackend.closeIfCopy(md, keyMask);
            CudaBackend.closeIfCopy(ld, lse);
        }
    }

    /** {@link #backward(CudaBackend, Dims, DeviceBuffer, DeviceBuffer, DeviceBuffer, Tensor, double, FusedAttention.Drop, DeviceBuffer, Tensor, DeviceBuffer, Tensor, Tensor, Tensor)} without dropout. */
    public static void backward(CudaBackend be, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                                DeviceBuffer out, Tensor lse, DeviceBuffer gradOut, Tensor dq, Tensor dk, Tensor dv) {
        backward(be, s, q, k, v, keyMask, maskValue, FusedAttention.Drop.NONE, out, lse, gradOut, dq, dk, dv);
    }

    /**
     * Gradients of {@link #forward} given its out and lse (and the same drop, whose mask is
     * regenerated) and gradOut = dL/dout (bf16): dq, dk, dv (CUDA F32, shaped like q, k, v; each
     * nullable to skip it), overwritten, not accumulated. Deterministic: dQ comes from its own
     * kernel, no atomics.
     */
    public static void backward(CudaBackend be, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                                FusedAttention.Drop drop, DeviceBuffer out, Tensor lse, DeviceBuffer gradOut, Tensor dq, Tensor dk, Tensor dv) {
        String what = "attention bf16 backward";
        size(what, "q", q, s.qBytes());
        size(what, "k", k, s.kBytes());
        size(what, "v", v, s.kBytes());
        size(what, "out", out, s.qBytes());
        size(what, "grad_out", gradOut, s.qBytes());
        f32(what, "lse", lse, s.b, s.h, s.tq);
        if (dq != null) f32(what, "dq", dq, s.b, s.h, s.tq, s.d);
        if (dk != null) f32(what, "dk", dk, s.b, s.h, s.tk, s.d);
        if (dv != null) f32(what, "dv", dv, s.b, s.h, s.tk, s.d);
        mask(what, keyMask, s);
        if (s.bh() == 0 || (dq == null && dk == null && dv == null)) return;
        if (s.tq == 0) {  // no queries: nothing flows into k and v
            if (dk != null) be.fill(dk, 0);
            if (dv != null) be.fill(dv, 0);
            return;
        }
        int rows = s.bh() * s.tq;
        Tensor md = FusedAttention.maskF32(be, keyMask), ld = be.dense(lse);
        Tensor dqd = FusedAttention.dest(be, dq), dkd = FusedAttention.dest(be, dk), dvd = FusedAttention.dest(be, dv);
        try (DeviceBuffer delta = be.scratch((long) rows * Float.BYTES)) {
            be.launcher().launch(MODULE_BWD, "gw_attention_bf16_bwd_preprocess", (rows + 3) / 4, 1, 1, THREADS, 1, 1, 0,
                    new KernelArgs().ptr(gradOut.address()).ptr(out.address()).ptr(delta.address()).i32(rows).i32(s.d));
            if (dk != null || dv != null)
                be.launcher().launch(MODULE_BWD, drop.kernel("bf16_bwd_dkv", s.d), (s.tk + BWD_KEY_TILE - 1) / BWD_KEY_TILE, s.gridY(), s.gridZ(),
                        THREADS, 1, 1, 0, drop.append(inputs(q, k, v, md, gradOut, ld, delta).ptr(dk == null ? 0 : addr(dkd)).ptr(dv == null ? 0 : addr(dvd))
                                .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)));
            if (dq != null)
                be.launcher().launch(MODULE_BWD, drop.kernel("bf16_bwd_dq", s.d), (s.tq + DQ_QUERY_TILE - 1) / DQ_QUERY_TILE, s.gridY(), s.gridZ(),
                        THREADS, 1, 1, 0, drop.append(inputs(q, k, v, md, gradOut, ld, delta).ptr(addr(dqd))
                                .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(scale(s.d)).f32((float) maskValue)));
            if (dq != null && dqd != dq) be.copy(dqd, dq);
            if (dk != null && dkd != dk) be.copy(dkd, dk);
            if (dv != null && dvd != dv) be.copy(dvd, dv);
        } finally {
            CudaBackend.closeIfCopy(md, keyMask);
            CudaBackend.closeIfCopy(ld, lse);
            CudaBackend.closeIfCopy(dqd, dq);
            CudaBackend.closeIfCopy(dkd, dk);
            CudaBackend.closeIfCopy(dvd, dv);
        }
    }

    /** The leading arguments of both backward kernels: q, k, v, mask, dout, lse, delta. */
    private static KernelArgs inputs(DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor mask, DeviceBuffer gradOut, Tensor lse, DeviceBuffer delta) {
        return new KernelArgs().ptr(q.address()).ptr(k.address()).ptr(v.address()).ptr(mask == null ? 0 : addr(mask))
                .ptr(gradOut.address()).ptr(addr(lse)).ptr(delta.address());
    }

    private static float scale(int d) { return (float) (1 / Math.sqrt(d)); }

    private static void f32(String what, String name, Tensor t, int... shape) {
        if (t == null) throw new IllegalArgumentException(what + ": " + name + " is required");
        if (!Arrays.equals(t.shape(), shape))
            throw new IllegalArgumentException(what + ": " + name + " " + Shape.str(t.shape()) + " must be " + Shape.str(shape));
        if (t.dtype() != DType.F32 || t.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(what + ": " + name + " must be a CUDA float32 tensor, got " + t.dtype() + " on " + t.device());
    }

    private static void mask(String what, Tensor keyMask, Dims s) {
        if (keyMask == null) return;
        if (!Arrays.equals(keyMask.shape(), new int[]{s.b, s.tk}))
            throw new IllegalArgumentException(what + ": key_mask " + Shape.str(keyMask.shape()) + " must be [" + s.b + ", " + s.tk + "]");
        if (keyMask.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(what + ": key_mask must be on a CUDA device, got " + keyMask.device());
    }

    private static void size(String what, String name, DeviceBuffer b, long bytes) {
        if (b == null) throw new IllegalArgumentException(what + ": " + name + " is required");
        if (b.bytes() < bytes)
            throw new IllegalArgumentException(what + ": " + name + " holds " + b.bytes() + " bytes, the shape needs " + bytes + " (bf16, 2 bytes each)");
    }
}
