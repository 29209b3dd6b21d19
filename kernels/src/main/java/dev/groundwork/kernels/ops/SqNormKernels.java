package dev.groundwork.kernels.ops;

import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.memory.DeviceBuffer;

import java.util.List;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of sq_norm.cu: Σ x² of a tensor into one float on the device, deterministic: per-block
 * partials (at most {@link #MAX_BLOCKS} blocks of {@link #THREADS}), then one {@link #SUM_THREADS}-thread
 * block adds them in order. Behind {@link GradClip.SquaredNormKernel} ({@link #fused}: every tensor's
 * sum on the device, one read-back for all) and BertAdam's per-tensor clipping (OptimizerKernels, no
 * read-back at all).
 */
public final class SqNormKernels {
    private SqNormKernels() {}

    static final String FILE = "sq_norm";
    static final EntryPoint PARTIAL = EntryPoint.of(FILE, "gw_sq_norm_partial_f32", PTR, I64, PTR);
    static final EntryPoint SUM = EntryPoint.of(FILE, "gw_sum_f32", PTR, I32, PTR);
    @CudaDefine("GW_SQ_NORM_THREADS") static final int THREADS = 256;
    @CudaDefine("GW_SQ_NORM_MAX_BLOCKS") static final int MAX_BLOCKS = 1024;
    @CudaDefine("GW_SQ_NORM_SUM_THREADS") static final int SUM_THREADS = 1024;

    /** Bytes of the partials one {@link #squaredNorm} needs; the same scratch serves call after call on the compute stream. */
    public static final long PARTIALS_BYTES = MAX_BLOCKS * (long) Float.BYTES;

    /** The float at device address out = Σ x² of t (contiguous CUDA float32), through partials ({@link #PARTIALS_BYTES}). */
    public static void squaredNorm(CudaDevice dev, Tensor t, long partials, long out) {
        requireContiguousF32("squared_norm", t);
        long n = t.numel();
        int blocks = (int) Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS);
        dev.launcher().launch(PARTIAL.args().ptr(addr(t)).i64(n).ptr(partials), blocks, 1, 1, THREADS, 1, 1, 0);
        dev.launcher().launch(SUM.args().ptr(partials).i32(blocks).ptr(out), 1, 1, 1, SUM_THREADS, 1, 1, 0);
    }

    /** {@link GradClip.SquaredNormKernel} on dev: null (compose) unless every tensor is a contiguous float32 one of dev's. */
    public static GradClip.SquaredNormKernel fused(CudaDevice dev) {
        return tensors -> {
            for (Tensor t : tensors)
                if (!dev.device().equals(t.device()) || !t.isContiguous() || t.dtype() != DType.F32) return null;
            return squaredNorms(dev, tensors);
        };
    }

    private static double[] squaredNorms(CudaDevice dev, List<Tensor> tensors) {
        int n = tensors.size();
        float[] host = new float[n];
        try (DeviceBuffer partials = dev.scratch(PARTIALS_BYTES); DeviceBuffer sums = dev.scratch((long) n * Float.BYTES)) {
            for (int i = 0; i < n; i++) squaredNorm(dev, tensors.get(i), partials.address(), sums.address() + (long) i * Float.BYTES);
            if (n > 0) dev.context().staging().download(sums.address(), host, (long) n * Float.BYTES);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = host[i];
        return out;
    }
}
