package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.memory.DeviceBuffer;

import java.util.List;
import java.util.stream.IntStream;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static dev.groundwork.kernels.cuda.RowGeometry.*;

/**
 * Host side of layer_norm.cu, behind {@code Backend.layerNorm} and {@code layerNormBackward}: one
 * warp per row up to D = 1024 (one block per row beyond) forward; one block per row for dx, and the
 * weight and bias gradients in two deterministic stages (column partials per chunk of rows, then a
 * sum over chunks).
 */
public final class LayerNormKernels {
    private LayerNormKernels() {}

    static final String FILE = "layer_norm";
    /** gw_layer_norm_warp{1,2,4,8,16,32}_f32, indexed by log2 of the lanes per row. */
    static final List<EntryPoint> WARP = IntStream.rangeClosed(0, 5)
            .mapToObj(i -> EntryPoint.of(FILE, "gw_layer_norm_warp" + (1 << i) + "_f32", PTR, PTR, PTR, PTR, PTR, PTR, I64, I32, F32)).toList();
    static final EntryPoint BLOCK = EntryPoint.of(FILE, "gw_layer_norm_f32", PTR, PTR, PTR, PTR, PTR, PTR, I32, F32);
    static final EntryPoint BACKWARD = EntryPoint.of(FILE, "gw_layer_norm_bwd_f32", PTR, PTR, PTR, PTR, PTR, PTR, I32);
    static final EntryPoint PARAMS_PARTIAL = EntryPoint.of(FILE, "gw_layer_norm_params_partial", PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32);
    static final EntryPoint COLUMN_SUM = EntryPoint.of(FILE, "gw_column_sum_f32", PTR, PTR, I32, I32);
    /** Columns per block of the two weight-gradient stages. */
    private static final int COLUMN_THREADS = 256;

    public static void forward(CudaDevice dev, Tensor x, Tensor w, Tensor b, double eps, Tensor out, Tensor mean, Tensor rstd) {
        requireF32("layer_norm", x, w, b, out, mean, rstd);
        int rows = mean.numel();
        if (rows == 0) return;
        int d = x.numel() / rows;
        Tensor xd = dev.dense(x), wd = dev.dense(w), bd = dev.dense(b), od = dev.dense(out);
        try {
            long wa = w == null ? 0 : addr(wd), ba = b == null ? 0 : addr(bd);
            if (d <= 1024) {
                EntryPoint warp = WARP.get(Integer.numberOfTrailingZeros(lanesPerRow(d)));
                dev.launcher().launch(warp.args().ptr(addr(xd)).ptr(wa).ptr(ba).ptr(addr(od)).ptr(addr(mean)).ptr(addr(rstd))
                        .i64(rows).i32(d).f32((float) eps), (rows + WARP_ROWS - 1) / WARP_ROWS, 1, 1, WARP_ROWS_THREADS, 1, 1, 0);
            } else {
                dev.launcher().launch(BLOCK.args().ptr(addr(xd)).ptr(wa).ptr(ba).ptr(addr(od))
                        .ptr(addr(mean)).ptr(addr(rstd)).i32(d).f32((float) eps), rows, 1, 1, blockPerRowThreads(d), 1, 1, 0);
            }
            if (od != out) dev.copy(od, out);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(wd, w);
            closeIfCopy(bd, b);
            closeIfCopy(od, out);
        }
    }

    public static void backward(CudaDevice dev, Tensor g, Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor gx, Tensor gw, Tensor gb) {
        requireF32("layer_norm backward", g, x, w, mean, rstd, gx, gw, gb);
        int rows = mean.numel();
        if (rows == 0) return;
        int d = x.numel() / rows;
        Tensor gd = dev.dense(g), xd = dev.dense(x), wd = dev.dense(w), od = dev.dense(gx);
        try {
            dev.launcher().launch(BACKWARD.args().ptr(addr(gd)).ptr(addr(xd)).ptr(w == null ? 0 : addr(wd)).ptr(addr(mean)).ptr(addr(rstd))
                    .ptr(addr(od)).i32(d), rows, 1, 1, blockPerRowThreads(d), 1, 1, 0);
            if (od != gx) dev.copy(od, gx);
            if (gw != null || gb != null) columnParams(dev, gd, xd, mean, rstd, rows, d, gw, gb);
        } finally {
            closeIfCopy(gd, g);
            closeIfCopy(xd, x);
            closeIfCopy(wd, w);
            closeIfCopy(od, gx);
        }
    }

    /** dw = Σ_rows g·xhat, db = Σ_rows g, in two deterministic stages. */
    private static void columnParams(CudaDevice dev, Tensor g, Tensor x, Tensor mean, Tensor rstd, int rows, int d, Tensor gw, Tensor gb) {
        int chunks = Math.max(1, Math.min(256, rows / 32));
        int per = (rows + chunks - 1) / chunks;
        chunks = (rows + per - 1) / per;
        try (DeviceBuffer pw = dev.scratch((long) chunks * d * 4); DeviceBuffer pb = dev.scratch((long) chunks * d * 4)) {
            dev.launcher().launch(PARAMS_PARTIAL.args().ptr(addr(g)).ptr(addr(x)).ptr(addr(mean)).ptr(addr(rstd)).ptr(pw.address()).ptr(pb.address())
                    .i32(rows).i32(d).i32(per), (d + COLUMN_THREADS - 1) / COLUMN_THREADS, chunks, 1, COLUMN_THREADS, 1, 1, 0);
            if (gw != null) columnSum(dev, pw.address(), gw, chunks, d);
            if (gb != null) columnSum(dev, pb.address(), gb, chunks, d);
        }
    }

    private static void columnSum(CudaDevice dev, long partial, Tensor out, int chunks, int d) {
        Tensor od = dev.dense(out);
        try {
            dev.launcher().launch(COLUMN_SUM.args().ptr(partial).ptr(addr(od)).i32(chunks).i32(d),
                    (d + COLUMN_THREADS - 1) / COLUMN_THREADS, 1, 1, COLUMN_THREADS, 1, 1, 0);
            if (od != out) dev.copy(od, out);
        } finally {
            closeIfCopy(od, out);
        }
    }
}
