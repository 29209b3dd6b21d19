package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of bf16.cu: float32 to bfloat16 (round to nearest even) into a raw buffer of 2-byte
 * elements, and back. The engine has no bf16 tensors; the bf16 attention kernels and the bf16 GEMM
 * take these buffers.
 */
public final class Bf16Kernels {
    private Bf16Kernels() {}

    static final String FILE = "bf16";
    static final EntryPoint TO_BF16 = EntryPoint.of(FILE, "gw_f32_to_bf16", PTR, PTR, I64);
    static final EntryPoint FROM_BF16 = EntryPoint.of(FILE, "gw_bf16_to_f32", PTR, PTR, I64);

    /** x (contiguous CUDA F32) rounded to bfloat16 into a new raw 2-byte-per-element device buffer. */
    public static DeviceBuffer toBf16(CudaDevice dev, Tensor x) {
        requireContiguousF32("to_bf16", x);
        DeviceBuffer out = dev.scratch(x.numel() * 2L);
        dev.launcher().elementwise(TO_BF16.args().ptr(addr(x)).ptr(out.address()).i64(x.numel()), x.numel());
        return out;
    }

    /** t (CUDA F32, any layout) rounded to bf16 into a new raw buffer. */
    public static DeviceBuffer toBf16Any(CudaDevice dev, Tensor t) {
        Tensor d = dev.dense(t);
        try {
            return toBf16(dev, d);
        } finally {
            closeIfCopy(d, t);
        }
    }

    /** out (contiguous CUDA F32) = the bf16 elements of x widened. */
    public static void fromBf16(CudaDevice dev, DeviceBuffer x, Tensor out) {
        requireContiguousF32("from_bf16", out);
        dev.launcher().elementwise(FROM_BF16.args().ptr(x.address()).ptr(addr(out)).i64(out.numel()), out.numel());
    }
}
