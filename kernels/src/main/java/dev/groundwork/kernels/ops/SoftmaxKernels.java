package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import java.util.List;
import java.util.stream.IntStream;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static dev.groundwork.kernels.cuda.RowGeometry.*;

/**
 * Host side of softmax.cu, behind {@code Backend.softmax} and {@code softmaxBackward}: row kernels
 * over the last dim, one warp per row up to 1024 (a register count per lane picked from the row
 * length), one block per row beyond. A softmax over another dim is moved last by a transposed copy
 * and moved back after.
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    static final String FILE = "softmax";
    /** gw_softmax_warp{1,2,4,8,16,32}_f32, indexed by log2 of the lanes per row. */
    static final List<EntryPoint> WARP = IntStream.rangeClosed(0, 5)
            .mapToObj(i -> EntryPoint.of(FILE, "gw_softmax_warp" + (1 << i) + "_f32", PTR, PTR, I64, I32, I32)).toList();
    static final EntryPoint BLOCK = EntryPoint.of(FILE, "gw_softmax_f32", PTR, PTR, I32, I32);
    static final EntryPoint BACKWARD = EntryPoint.of(FILE, "gw_softmax_bwd_f32", PTR, PTR, PTR, I32, I32);

    /** A raw view of t with dims d and last swapped (no autograd). */
    private static Tensor swapLast(Tensor t, int d) {
        int[] sh = t.shape(), st = t.strides();
        int l = sh.length - 1;
        int a = sh[d]; sh[d] = sh[l]; sh[l] = a;
        int b = st[d]; st[d] = st[l]; st[l] = b;
        return t.asStrided(sh, st, t.offset());
    }

    /** t moved to last-dim-contiguous form: itself, or a new tensor to close. */
    private static Tensor lastDense(CudaDevice dev, Tensor t, int dim) {
        if (dim == t.dim() - 1) return dev.dense(t);
        try (Tensor v = swapLast(t, dim)) {
            Tensor c = dev.empty(t.dtype(), v.shape());
            dev.copy(v, c);
            return c;
        }
    }

    /** Writes the last-dim result r back into out, undoing the swap. */
    private static void store(CudaDevice dev, Tensor r, Tensor out, int dim) {
        if (r == out) return;
        if (dim == out.dim() - 1) { dev.copy(r, out); return; }
        try (Tensor v = swapLast(out, dim)) {
            dev.copy(r, v);
        }
    }

    public static void forward(CudaDevice dev, Tensor x, int dim, boolean log, Tensor out) {
        requireF32("softmax", x, out);
        if (x.numel() == 0) return;
        int len = x.size(dim), rows = x.numel() / len;
        Tensor xd = lastDense(dev, x, dim);
        Tensor od = dim == out.dim() - 1 && out.isContiguous() ? out : dev.empty(DType.F32, xd.shape());
        try {
            if (len <= 1024) {
                EntryPoint warp = WARP.get(Integer.numberOfTrailingZeros(lanesPerRow(len)));
                dev.launcher().launch(warp.args().ptr(addr(xd)).ptr(addr(od)).i64(rows).i32(len).i32(log ? 1 : 0),
                        (rows + WARP_ROWS - 1) / WARP_ROWS, 1, 1, WARP_ROWS_THREADS, 1, 1, 0);
            } else {
                dev.launcher().launch(BLOCK.args().ptr(addr(xd)).ptr(addr(od)).i32(len).i32(log ? 1 : 0),
                        rows, 1, 1, blockPerRowThreads(len), 1, 1, 0);
            }
            store(dev, od, out, dim);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(od, out);
        }
    }

    public static void backward(CudaDevice dev, Tensor g, Tensor y, int dim, boolean log, Tensor gx) {
        requireF32("softmax backward", g, y, gx);
        if (y.numel() == 0) return;
        int len = y.size(dim), rows = y.numel() / len;
        Tensor gd = lastDense(dev, g, dim), yd = lastDense(dev, y, dim);
        Tensor od = dim == gx.dim() - 1 && gx.isContiguous() ? gx : dev.empty(DType.F32, yd.shape());
        try {
            dev.launcher().launch(BACKWARD.args().ptr(addr(gd)).ptr(addr(yd)).ptr(addr(od)).i32(len).i32(log ? 1 : 0),
                    rows, 1, 1, blockPerRowThreads(len), 1, 1, 0);
            store(dev, od, gx, dim);
        } finally {
            closeIfCopy(gd, g);
            closeIfCopy(yd, y);
            closeIfCopy(od, gx);
        }
    }
}
