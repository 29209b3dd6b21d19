package dev.groundwork.kernels.cuda;

import jcuda.driver.CUevent;

import static jcuda.driver.JCudaDriver.*;

/**
 * Device-side timing with a pair of CUDA events on the compute stream: {@link #start()} and
 * {@link #stopMillis()} bracket queued work and measure the GPU's time for it, without the host's
 * launch and synchronisation overhead (what torch.cuda.Event timing measures).
 */
public final class GpuTimer implements AutoCloseable {
    private final CudaContext ctx;
    private final CUevent begin = new CUevent(), end = new CUevent();

    public GpuTimer(CudaContext ctx) {
        this.ctx = ctx;
        ctx.makeCurrent();
        Cu.check(cuEventCreate(begin, 0), "cuEventCreate(timer begin)");
        Cu.check(cuEventCreate(end, 0), "cuEventCreate(timer end)");
    }

    public void start() {
        Cu.check(cuEventRecord(begin, ctx.computeStream()), "cuEventRecord(timer begin)");
    }

    /** Waits for the work queued since {@link #start()} and returns its GPU time in milliseconds. */
    public float stopMillis() {
        Cu.check(cuEventRecord(end, ctx.computeStream()), "cuEventRecord(timer end)");
        Cu.check(cuEventSynchronize(end), "cuEventSynchronize(timer end)");
        float[] ms = new float[1];
        Cu.check(cuEventElapsedTime(ms, begin, end), "cuEventElapsedTime");
        return ms[0];
    }

    @Override
    public void close() {
        Cu.check(cuEventDestroy(begin), "cuEventDestroy");
        Cu.check(cuEventDestroy(end), "cuEventDestroy");
    }
}
