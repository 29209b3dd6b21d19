package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of matchmap_tf32.cu: the matchmap max/argmax GEMM on TF32 tensor cores (mma.m16n8k8),
 * a drop-in for matchmap.cu's gw_matchmap_max (same parameters, same 64-row tiles) that
 * {@link MatchmapKernels#forward} launches when the device's TF32 matchmap switch and TF32 are on.
 */
public final class MatchmapTf32Kernels {
    private MatchmapTf32Kernels() {}

    static final String FILE = "matchmap_tf32";
    /** Kept rows per block and threads per block (matchmap_tiles.cuh). */
    @CudaDefine("MMT_RT") static final int ROW_TILE = 64;
    @CudaDefine("MMT_THREADS") static final int THREADS = 128;

    /** image, language, rowmap, offsets, B, D, P, rcap, smax, sarg: as gw_matchmap_max. */
    static final EntryPoint MAX = EntryPoint.of(FILE, "gw_matchmap_max_tf32", PTR, PTR, PTR, PTR, I32, I32, I32, I32, PTR, PTR);

    /**
     * smax[i, r] = max_p of image_i[:, p] · language[rowmap[r]] (tf32 products, fp32 sums) and
     * argmax[i, r] its cell, for the kept rows r < offsets[B]; image [B,D,P] and language [B*T, D]
     * contiguous.
     */
    static void max(CudaDevice dev, Tensor image, Tensor language, DeviceBuffer rowmap, DeviceBuffer offsets, int b, int d, int p, int rcap,
                    DeviceBuffer smax, DeviceBuffer argmax) {
        dev.launcher().launch(MAX.args().ptr(addr(image)).ptr(addr(language)).ptr(rowmap.address()).ptr(offsets.address())
                        .i32(b).i32(d).i32(p).i32(rcap).ptr(smax.address()).ptr(argmax.address()),
                (rcap + ROW_TILE - 1) / ROW_TILE, b, 1, THREADS, 1, 1, 0);
    }
}
