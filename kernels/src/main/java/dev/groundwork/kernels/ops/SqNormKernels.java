package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of sq_norm.cu: Σ x² over several tensors on the device (gradient clipping's squared
 * norm), deterministic: per-block partials of 256 threads (at most 1024 blocks), then one 1024-thread
 * block adds them in order, accumulating tensor after tensor.
 */
public final class SqNormKernels {
    private SqNormKernels() {}

    static final String FILE = "sq_norm";
    static final EntryPoint PARTIAL = EntryPoint.of(FILE, "gw_sq_norm_partial_f32", PTR, I64, PTR);
    static final EntryPoint SUM = EntryPoint.of(FILE, "gw_sum_f32", PTR, I32, PTR, I32);

    /** Σ x² over all tensors, read back to the host. */
    public static double squaredNorm(CudaDevice dev, Tensor... ts) {
        try (DeviceBuffer acc = dev.scratch(4)) {
            boolean first = true;
            for (Tensor t : ts) {
                requireContiguousF32("squared_norm", t);
                long n = t.numel();
                if (n == 0) continue;
                int blocks = (int) Math.min(1024, (n + 255) / 256);
                try (DeviceBuffer partial = dev.scratch(blocks * 4L)) {
                    dev.launcher().launch(PARTIAL.args().ptr(addr(t)).i64(n).ptr(partial.address()), blocks, 1, 1, 256, 1, 1, 0);
                    dev.launcher().launch(SUM.args().ptr(partial.address()).i32(blocks).ptr(acc.address()).i32(first ? 0 : 1), 1, 1, 1, 1024, 1, 1, 0);
                }
                first = false;
            }
            if (first) return 0;
            float[] out = new float[1];
            dev.context().staging().download(acc.address(), out, 4);
            return out[0];
        }
    }
}
