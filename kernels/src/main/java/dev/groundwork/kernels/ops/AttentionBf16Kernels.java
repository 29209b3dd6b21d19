package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.FusedResult;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.ReleasingResult;
import dev.groundwork.kernels.memory.DeviceBuffer;

import java.util.Arrays;
import java.util.List;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of attention_bf16.cu: fused attention forward on tensor cores, bf16 q, k, v and output
 * with fp32 accumulation and softmax; {@link AttentionKernels}' semantics, dropout on the
 * probabilities included ({@link AttentionKernels.Drop}). Its backward is
 * {@link AttentionBf16BwdKernels}. The engine has no bf16 tensors, so q, k, v and out are raw device
 * buffers of bf16 elements in [B,H,T,d] order (made by {@link Bf16Kernels#toBf16} and read back by
 * {@link Bf16Kernels#fromBf16}); the mask [B,Tk] (CUDA, any dtype) and lse [B,H,Tq] (CUDA F32) are
 * tensors.
 */
public final class AttentionBf16Kernels {
    private AttentionBf16Kernels() {}

    static final String FILE = "attention_bf16";
    /** Threads per block of every bf16 kernel, forward and backward, and query rows per forward block (attention_tiles.cuh). */
    @CudaDefine("GW_ATB_THREADS") static final int THREADS = 128;
    @CudaDefine("GW_ATB_BQ") static final int QUERY_TILE = 64;

    /** q, k, v, mask, out, lse, then Tq, Tk, H, BH, scale, maskValue: attention.cu's forward parameters. */
    static final List<EntryPoint> FORWARD = AttentionKernels.Drop.variants(FILE, "gw_attention_bf16_fwd",
            PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, F32, F32);

    /** The shape of a bf16 attention call. */
    public record Dims(int b, int h, int tq, int tk, int d) {
        public Dims {
            if (b < 0 || h < 0 || tq < 0 || tk < 0) throw new IllegalArgumentException("attention bf16: negative size in B=" + b + " H=" + h + " Tq=" + tq + " Tk=" + tk);
            if (!AttentionKernels.supports(d))
                throw new IllegalArgumentException("attention bf16: head dim " + d + " is not supported by the fused kernel (64 and 96 are)");
            if (tk == 0 && tq > 0 && b * h > 0)
                throw new IllegalArgumentException("attention bf16: no keys (Tk = 0): softmax over an empty set is undefined");
        }

        int bh() { return b * h; }
        long qBytes() { return 2L * bh() * tq * d; }
        long kBytes() { return 2L * bh() * tk * d; }
        int gridY() { return Math.max(1, Math.min(bh(), AttentionKernels.MAX_GRID_Y)); }
        int gridZ() { return (bh() + gridY() - 1) / gridY(); }
    }

    /** {@link #forward(CudaDevice, Dims, DeviceBuffer, DeviceBuffer, DeviceBuffer, Tensor, double, AttentionKernels.Drop, DeviceBuffer, Tensor)} without dropout. */
    public static void forward(CudaDevice dev, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                               DeviceBuffer out, Tensor lse) {
        forward(dev, s, q, k, v, keyMask, maskValue, AttentionKernels.Drop.NONE, out, lse);
    }

    /**
     * out = dropout(softmax(q kᵀ/√d + (1 − keyMask)·maskValue)) v in bf16, and the scores' row
     * log-sum-exp (fp32, before dropout) into lse.
     */
    public static void forward(CudaDevice dev, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                               AttentionKernels.Drop drop, DeviceBuffer out, Tensor lse) {
        String what = "attention bf16 forward";
        size(what, "q", q, s.qBytes());
        size(what, "k", k, s.kBytes());
        size(what, "v", v, s.kBytes());
        size(what, "out", out, s.qBytes());
        f32(what, "lse", lse, s.b, s.h, s.tq);
        mask(what, keyMask, s);
        if (s.bh() == 0 || s.tq == 0) return;
        Tensor md = AttentionKernels.maskF32(dev, keyMask);
        Tensor ld = AttentionKernels.dest(dev, lse);
        try {
            dev.launcher().launch(drop.append(drop.pick(FORWARD, s.d).args().ptr(q.address()).ptr(k.address()).ptr(v.address())
                            .ptr(md == null ? 0 : addr(md)).ptr(out.address()).ptr(addr(ld))
                            .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32(AttentionKernels.scale(s.d)).f32((float) maskValue)),
                    (s.tq + QUERY_TILE - 1) / QUERY_TILE, s.gridY(), s.gridZ(), THREADS, 1, 1, 0);
            if (ld != lse) dev.copy(ld, lse);
        } finally {
            closeIfCopy(md, keyMask);
            closeIfCopy(ld, lse);
        }
    }

    static void f32(String what, String name, Tensor t, int... shape) {
        if (t == null) throw new IllegalArgumentException(what + ": " + name + " is required");
        if (!Arrays.equals(t.shape(), shape))
            throw new IllegalArgumentException(what + ": " + name + " " + Shape.str(t.shape()) + " must be " + Shape.str(shape));
        if (t.dtype() != DType.F32 || t.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(what + ": " + name + " must be a CUDA float32 tensor, got " + t.dtype() + " on " + t.device());
    }

    static void mask(String what, Tensor keyMask, Dims s) {
        if (keyMask == null) return;
        if (!Arrays.equals(keyMask.shape(), new int[]{s.b, s.tk}))
            throw new IllegalArgumentException(what + ": key_mask " + Shape.str(keyMask.shape()) + " must be [" + s.b + ", " + s.tk + "]");
        if (keyMask.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(what + ": key_mask must be on a CUDA device, got " + keyMask.device());
    }

    static void size(String what, String name, DeviceBuffer b, long bytes) {
        if (b == null) throw new IllegalArgumentException(what + ": " + name + " is required");
        if (b.bytes() < bytes)
            throw new IllegalArgumentException(what + ": " + name + " holds " + b.bytes() + " bytes, the shape needs " + bytes + " (bf16, 2 bytes each)");
    }

    // ------------------------------------------------------------------ the engine's op on these kernels

    /**
     * F.attention on tensor cores (AttentionKernels.fused when the device's bf16 switch is on): q, k,
     * v rounded to bf16 once (kept for the backward with the bf16 output and the lse), the output
     * widened to float32 for the graph, the output gradient rounded to bf16.
     */
    static FusedResult fused(CudaDevice dev, Tensor q, Tensor k, Tensor v, Tensor mask, double maskValue, AttentionKernels.Drop drop) {
        var s = new Dims(q.size(0), q.size(1), q.size(2), k.size(2), q.size(3));
        DeviceBuffer qb = Bf16Kernels.toBf16Any(dev, q), kb = Bf16Kernels.toBf16Any(dev, k), vb = Bf16Kernels.toBf16Any(dev, v);
        DeviceBuffer ob = dev.scratch(2L * s.b() * s.h() * s.tq() * s.d());
        Tensor out = dev.empty(DType.F32, s.b(), s.h(), s.tq(), s.d()), lse = dev.empty(DType.F32, s.b(), s.h(), s.tq());
        forward(dev, s, qb, kb, vb, mask, maskValue, drop, ob, lse);
        Bf16Kernels.fromBf16(dev, ob, out);
        return ReleasingResult.of(out, g -> {
            Tensor dq = q.requiresGrad() ? dev.empty(DType.F32, q.shape()) : null;
            Tensor dk = k.requiresGrad() ? dev.empty(DType.F32, k.shape()) : null;
            Tensor dv = v.requiresGrad() ? dev.empty(DType.F32, v.shape()) : null;
            try (DeviceBuffer gb = Bf16Kernels.toBf16Any(dev, g)) {
                AttentionBf16BwdKernels.backward(dev, s, qb, kb, vb, mask, maskValue, drop, ob, lse, gb, dq, dk, dv);
            }
            return new Tensor[]{dq, dk, dv, null};
        }, qb, kb, vb, ob, lse);
    }
}
