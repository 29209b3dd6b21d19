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
 * Host side of attention_bf16.cu: the fused attention forward on tensor cores, bf16 q, k, v and
 * output with fp32 accumulation and softmax; {@link FusedAttention}'s semantics without dropout.
 * The engine has no bf16 tensors, so q, k, v and out are raw device buffers of bf16 elements in
 * [B,H,T,d] order (made by {@link GlueKernels#toBf16} and read back by {@link GlueKernels#fromBf16});
 * the mask [B,Tk] (CUDA, any dtype) and lse [B,H,Tq] (CUDA F32) are tensors. There is no bf16
 * backward: training runs the fp32 kernels.
 */
public final class FusedAttentionBf16 {
    private FusedAttentionBf16() {}

    private static final String MODULE = "attention_bf16";
    /** Threads per block and query rows per block (GW_ATB_THREADS, GW_ATB_BQ in attention_bf16.cu). */
    static final int THREADS = 128, QUERY_TILE = 64;
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

    /**
     * out = softmax(q kᵀ/√d + (1 − keyMask)·maskValue) v in bf16, and the scores' row log-sum-exp
     * (fp32) into lse.
     */
    public static void forward(CudaBackend be, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                               DeviceBuffer out, Tensor lse) {
        String what = "attention bf16 forward";
        size(what, "q", q, s.qBytes());
        size(what, "k", k, s.kBytes());
        size(what, "v", v, s.kBytes());
        size(what, "out", out, s.qBytes());
        if (lse == null || !Arrays.equals(lse.shape(), new int[]{s.b, s.h, s.tq}))
            throw new IllegalArgumentException(what + ": lse " + (lse == null ? "null" : Shape.str(lse.shape())) + " must be [" + s.b + ", " + s.h + ", " + s.tq + "]");
        if (lse.dtype() != DType.F32 || lse.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(what + ": lse must be a CUDA float32 tensor, got " + lse.dtype() + " on " + lse.device());
        if (keyMask != null && !Arrays.equals(keyMask.shape(), new int[]{s.b, s.tk}))
            throw new IllegalArgumentException(what + ": key_mask " + Shape.str(keyMask.shape()) + " must be [" + s.b + ", " + s.tk + "]");
        if (keyMask != null && keyMask.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(what + ": key_mask must be on a CUDA device, got " + keyMask.device());
        if (s.bh() == 0 || s.tq == 0) return;
        Tensor md = keyMask == null ? null : maskF32(be, keyMask);
        Tensor ld = lse.isContiguous() ? lse : be.empty(DType.F32, lse.shape());
        try {
            be.launcher().launch(MODULE, "gw_attention_bf16_fwd_d" + s.d, (s.tq + QUERY_TILE - 1) / QUERY_TILE, s.gridY(), s.gridZ(), THREADS, 1, 1, 0,
                    new KernelArgs().ptr(q.address()).ptr(k.address()).ptr(v.address()).ptr(md == null ? 0 : addr(md))
                            .ptr(out.address()).ptr(addr(ld))
                            .i32(s.tq).i32(s.tk).i32(s.h).i32(s.bh()).f32((float) (1 / Math.sqrt(s.d))).f32((float) maskValue));
            if (ld != lse) be.copy(ld, lse);
        } finally {
            CudaBackend.closeIfCopy(md, keyMask);
            CudaBackend.closeIfCopy(ld, lse);
        }
    }

    private static void size(String what, String name, DeviceBuffer b, long bytes) {
        if (b == null) throw new IllegalArgumentException(what + ": " + name + " is required");
        if (b.bytes() < bytes)
            throw new IllegalArgumentException(what + ": " + name + " holds " + b.bytes() + " bytes, the shape needs " + bytes + " (bf16, 2 bytes each)");
    }

    /** The mask as a dense F32 tensor: itself, or a copy to close with closeIfCopy. */
    private static Tensor maskF32(CudaBackend be, Tensor m) {
        if (m.dtype() == DType.F32) return be.dense(m);
        Tensor c = be.empty(DType.F32, m.shape());
        be.copy(m, c);
        return c;
    }
}
