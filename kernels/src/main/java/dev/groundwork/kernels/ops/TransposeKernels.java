package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.Layouts;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of transpose.cu: the tiled copy behind {@link CopyKernels#copy} when the source is the
 * transpose of a contiguous tensor (attention's head split and merge, {@code .mT().contiguous()}).
 */
public final class TransposeKernels {
    private TransposeKernels() {}

    static final String FILE = "transpose";
    static final EntryPoint TRANSPOSE = EntryPoint.of(FILE, "gw_transpose_f32", PTR, PTR, I32, I32);
    /** Square tile edge, and thread rows per block (each thread moves TILE / ROWS elements). */
    @CudaDefine("GW_TRANSPOSE_TILE") static final int TILE = 32;
    @CudaDefine("GW_TRANSPOSE_ROWS") static final int ROWS = 8;

    /**
     * dst contiguous [B?, R, C] and src the transpose of a contiguous [B?, C, R] (a permute of the
     * last two dims): launches the tiled kernel and returns true; false for any other layout.
     */
    static boolean transposeCopy(CudaDevice dev, Tensor src, Tensor dst, Layouts.Collapsed c) {
        int r = c.shape().length;
        if (r < 2 || r > 3) return false;
        long[] ss = c.strides()[0], ds = c.strides()[1];
        int rows = c.shape()[r - 2], cols = c.shape()[r - 1];
        boolean dstDense = ds[r - 1] == 1 && ds[r - 2] == cols && (r == 2 || ds[0] == (long) rows * cols);
        boolean srcT = ss[r - 2] == 1 && ss[r - 1] == rows && (r == 2 || ss[0] == (long) rows * cols);
        if (!dstDense || !srcT) return false;
        int batch = r == 3 ? c.shape()[0] : 1;
        // src memory is [batch, cols, rows] contiguous; the kernel transposes [rows', cols'] = [cols, rows].
        dev.launcher().launch(TRANSPOSE.args().ptr(addr(src)).ptr(addr(dst)).i32(cols).i32(rows),
                (rows + TILE - 1) / TILE, (cols + TILE - 1) / TILE, batch, TILE, ROWS, 1, 0);
        return true;
    }
}
