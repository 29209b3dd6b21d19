package dev.groundwork.kernels.cuda;

import jcuda.driver.CUfunction;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

/** Launches kernels on the compute stream, sizing 1-D grids for grid-stride loops. */
public final class Launcher {
    /** Threads per block of every 1-D grid-stride launch (GW_GRID_STRIDE_THREADS in common.cuh). */
    @CudaDefine("GW_GRID_STRIDE_THREADS") public static final int GRID_STRIDE_THREADS = 256;

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

    /** The loaded function of an entry point (for attributes such as its dynamic shared-memory limit). */
    public CUfunction function(EntryPoint entry) { return ptx.function(entry.file(), entry.name()); }

    /** A 1-D grid-stride launch of {@link #GRID_STRIDE_THREADS} threads per block over n elements. */
    public void elementwise(KernelArgs args, long n) {
        if (n == 0) return;
        int blocks = (int) Math.min(maxBlocks, (n + GRID_STRIDE_THREADS - 1) / GRID_STRIDE_THREADS);
        launch(args, blocks, 1, 1, GRID_STRIDE_THREADS, 1, 1, 0);
    }

    public void launch(KernelArgs args, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes) {
        if (gx == 0 || gy == 0 || gz == 0) return;
        EntryPoint e = args.entry();
        var packed = args.pointer();
        CUfunction f = function(e);
        ctx.makeCurrent();
        Cu.check(cuLaunchKernel(f, gx, gy, gz, bx, by, bz, sharedBytes, ctx.computeStream(), packed, null),
                "cuLaunchKernel(" + e.file() + ".cu " + e.name() + ", grid " + gx + "x" + gy + "x" + gz + ", block " + bx + "x" + by + "x" + bz + ")");
    }
}
