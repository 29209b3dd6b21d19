package dev.groundwork.kernels.cuda;

import jcuda.driver.CUfunction;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

/** Launches kernels on the compute stream, sizing 1-D grids for grid-stride loops. */
public final class Launcher {
    private final CudaContext ctx;
    private final PtxModules ptx;
    private final int maxBlocks;

    public Launcher(CudaContext ctx, PtxModules ptx) {
        this.ctx = ctx;
        this.ptx = ptx;
        // Enough resident blocks to fill every SM several times over; grid-stride loops do the rest.
        this.maxBlocks = ctx.multiprocessors() * 32;
    }

    public CudaContext context() { return ctx; }

    public PtxModules modules() { return ptx; }

    /** A 1-D grid-stride launch of 256 threads per block over n elements. */
    public void elementwise(String module, String function, long n, KernelArgs args) {
        if (n == 0) return;
        int blocks = (int) Math.min(maxBlocks, (n + 255) / 256);
        launch(module, function, blocks, 1, 1, 256, 1, 1, 0, args);
    }

    public void launch(String module, String function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, KernelArgs args) {
        if (gx == 0 || gy == 0 || gz == 0) return;
        CUfunction f = ptx.function(module, function);
        ctx.makeCurrent();
        Cu.check(cuLaunchKernel(f, gx, gy, gz, bx, by, bz, sharedBytes, ctx.computeStream(), args.pointer(), null),
                "cuLaunchKernel(" + module + ".cu " + function + ", grid " + gx + "x" + gy + "x" + gz + ", block " + bx + "x" + by + "x" + bz + ")");
    }
}
