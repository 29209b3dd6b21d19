package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.memory.DeviceBuffer;
import dev.groundwork.kernels.ops.AttentionBf16Kernels.Dims;

import java.util.List;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static dev.groundwork.kernels.ops.AttentionBf16Kernels.THREADS;

/**
 * Host side of attention_bf16_bwd.cu: the backward of {@link AttentionBf16Kernels}' forward on tensor
 * cores, from its bf16 q, k, v, out and the bf16 output gradient (raw device buffers), to fp32
 * gradients (CUDA F32 tensors shaped like q, k, v). Deterministic: dQ comes from its own kernel, no
 * atomics.
 */
public final class AttentionBf16BwdKernels {
    private AttentionBf16BwdKernels() {}

    static final String FILE = "attention_bf16_bwd";
    /** Keys per dK/dV block and query rows per dQ block (attention_tiles.cuh). */
    @CudaDefine("GW_ATB_BWD_BK") static final int BWD_KEY_TILE = 64;
    @CudaDefine("GW_ATB_DQ_BQ") static final int DQ_QUERY_TILE = 64;
    /** Rows per block of the preprocess kernel (one warp each). */
    private static final int PRE_ROWS = THREADS / 32;

    static final EntryPoint PREPROCESS = EntryPoint.of(FILE, "gw_attention_bf16_bwd_preprocess", PTR, PTR, PTR, I32, I32);
    /** q, k, v, mask, dout, lse, delta, dk, dv, then Tq, Tk, H, BH, scale, maskValue. */
    static final List<EntryPoint> DKV = AttentionKernels.Drop.variants(FILE, "gw_attention_bf16_bwd_dkv",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, F32, F32);
    /** q, k, v, mask, dout, lse, delta, dq, then Tq, Tk, H, BH, scale, maskValue. */
    static final List<EntryPoint> DQ = AttentionKernels.Drop.variants(FILE, "gw_attention_bf16_bwd_dq",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, F32, F32);

    /** {@link #backward(CudaDevice, Dims, DeviceBuffer, DeviceBuffer, DeviceBuffer, Tensor, double, AttentionKernels.Drop, DeviceBuffer, Tensor, DeviceBuffer, Tensor, Tensor, Tensor)} without dropout. */
    public static void backward(CudaDevice dev, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                                DeviceBuffer out, Tensor lse, DeviceBuffer gradOut, Tensor dq, Tensor dk, Tensor dv) {
        backward(dev, s, q, k, v, keyMask, maskValue, AttentionKernels.Drop.NONE, out, lse, gradOut, dq, dk, dv);
    }

    /**
     * Gradients of the forward given its out and lse (and the same drop, whose mask is regenerated)
     * and gradOut = dL/dout (bf16): dq, dk, dv (CUDA F32, shaped like q, k, v; each nullable to skip
     * it), overwritten, not accumulated.
     */
    public static void backward(CudaDevice dev, Dims s, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor keyMask, double maskValue,
                                AttentionKernels.Drop drop, DeviceBuffer out, Tensor lse, DeviceBuffer gradOut, Tensor dq, Tensor dk, Tensor dv) {
        String what = "attention bf16 backward";
        AttentionBf16Kernels.size(what, "q", q, s.qBytes());
        AttentionBf16Kernels.size(what, "k", k, s.kBytes());
        AttentionBf16Kernels.size(what, "v", v, s.kBytes());
        AttentionBf16Kernels.size(what, "out", out, s.qBytes());
        AttentionBf16Kernels.size(what, "grad_out", gradOut, s.qBytes());
        AttentionBf16Kernels.f32(what, "lse", lse, s.b(), s.h(), s.tq());
        if (dq != null) AttentionBf16Kernels.f32(what, "dq", dq, s.b(), s.h(), s.tq(), s.d());
        if (dk != null) AttentionBf16Kernels.f32(what, "dk", dk, s.b(), s.h(), s.tk(), s.d());
        if (dv != null) AttentionBf16Kernels.f32(what, "dv", dv, s.b(), s.h(), s.tk(), s.d());
        AttentionBf16Kernels.mask(what, keyMask, s);
        if (s.bh() == 0 || (dq == null && dk == null && dv == null)) return;
        if (s.tq() == 0) {  // no queries: nothing flows into k and v
            if (dk != null) dev.fill(dk, 0);
            if (dv != null) dev.fill(dv, 0);
            return;
        }
        int rows = s.bh() * s.tq();
        float scale = AttentionKernels.scale(s.d());
        Tensor md = AttentionKernels.maskF32(dev, keyMask), ld = dev.dense(lse);
        Tensor dqd = AttentionKernels.dest(dev, dq), dkd = AttentionKernels.dest(dev, dk), dvd = AttentionKernels.dest(dev, dv);
        try (DeviceBuffer delta = dev.scratch((long) rows * Float.BYTES)) {
            dev.launcher().launch(PREPROCESS.args().ptr(gradOut.address()).ptr(out.address()).ptr(delta.address()).i32(rows).i32(s.d()),
                    (rows + PRE_ROWS - 1) / PRE_ROWS, 1, 1, THREADS, 1, 1, 0);
            if (dk != null || dv != null)
                dev.launcher().launch(drop.append(inputs(drop.pick(DKV, s.d()), q, k, v, md, gradOut, ld, delta)
                                .ptr(dk == null ? 0 : addr(dkd)).ptr(dv == null ? 0 : addr(dvd))
                                .i32(s.tq()).i32(s.tk()).i32(s.h()).i32(s.bh()).f32(scale).f32((float) maskValue)),
                        (s.tk() + BWD_KEY_TILE - 1) / BWD_KEY_TILE, s.gridY(), s.gridZ(), THREADS, 1, 1, 0);
            if (dq != null)
                dev.launcher().launch(drop.append(inputs(drop.pick(DQ, s.d()), q, k, v, md, gradOut, ld, delta).ptr(addr(dqd))
                                .i32(s.tq()).i32(s.tk()).i32(s.h()).i32(s.bh()).f32(scale).f32((float) maskValue)),
                        (s.tq() + DQ_QUERY_TILE - 1) / DQ_QUERY_TILE, s.gridY(), s.gridZ(), THREADS, 1, 1, 0);
            if (dq != null && dqd != dq) dev.copy(dqd, dq);
            if (dk != null && dkd != dk) dev.copy(dkd, dk);
            if (dv != null && dvd != dv) dev.copy(dvd, dv);
        } finally {
            closeIfCopy(md, keyMask);
            closeIfCopy(ld, lse);
            closeIfCopy(dqd, dq);
            closeIfCopy(dkd, dk);
            closeIfCopy(dvd, dv);
        }
    }

    /** The leading arguments of both backward kernels: q, k, v, mask, dout, lse, delta. */
    private static KernelArgs inputs(EntryPoint e, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, Tensor mask, DeviceBuffer gradOut, Tensor lse,
                                     DeviceBuffer delta) {
        return e.args().ptr(q.address()).ptr(k.address()).ptr(v.address()).ptr(mask == null ? 0 : addr(mask))
                .ptr(gradOut.address()).ptr(addr(lse)).ptr(delta.address());
    }
}
