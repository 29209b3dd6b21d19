package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/** Host side of cross_entropy.cu: per-row loss and the gradient of the mean loss in one pass, one block per row. */
public final class CrossEntropyKernels {
    private CrossEntropyKernels() {}

    static final String FILE = "cross_entropy";
    static final EntryPoint CROSS_ENTROPY = EntryPoint.of(FILE, "gw_cross_entropy_f32", PTR, PTR, PTR, PTR, I32, I64, F32);

    /**
     * Per-row loss [N] and, when dx is not null, the gradient of the mean loss over kept rows, from
     * logits [N, C] and I64 targets [N] in one pass. Returns the number of kept rows.
     */
    public static int crossEntropy(CudaDevice dev, Tensor logits, Tensor target, long ignoreIndex, Tensor loss, Tensor dx) {
        requireContiguousF32("cross_entropy", logits, loss, dx);
        if (target.dtype() != DType.I64) throw new IllegalArgumentException("cross_entropy: target must be I64, got " + target.dtype());
        long[] t = target.toLongArray();
        int kept = 0, c = logits.size(1);
        for (long v : t) {
            if (v == ignoreIndex) continue;
            if (v < 0 || v >= c) throw new IndexOutOfBoundsException("cross_entropy: target " + v + " out of range [0, " + c + ")");
            kept++;
        }
        int rows = logits.size(0);
        // A power of two covering C, 32 to 1024 threads.
        int threads = Math.min(1024, Math.max(32, Integer.highestOneBit(Math.max(1, c - 1)) * 2));
        dev.launcher().launch(CROSS_ENTROPY.args().ptr(addr(logits)).ptr(addr(target)).ptr(addr(loss)).ptr(dx == null ? 0 : addr(dx))
                .i32(c).i64(ignoreIndex).f32(kept == 0 ? 0f : 1f / kept), rows, 1, 1, threads, 1, 1, 0);
        return kept;
    }
}
