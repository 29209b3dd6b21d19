package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.Backend.RandomKind;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.backend.CudaBackend.addr;
import static jcuda.driver.JCudaDriver.*;

/** Host side of copy.cu, transpose.cu, elementwise.cu and random.cu. */
final class CudaElementwise {
    private CudaElementwise() {}

    private static boolean vec4(long n, long... addresses) {
        if (n % 4 != 0) return false;
        for (long a : addresses) if (a % 16 != 0) return false;
        return true;
    }

    static void copy(CudaBackend be, Tensor src, Tensor dst) {
        long n = dst.numel();
        if (n == 0) return;
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            be.context().makeCurrent();
            Cu.check(cuMemcpyDtoDAsync(DevicePointers.of(addr(dst)), DevicePointers.of(addr(src)), n * dst.dtype().byteSize(),
                    be.context().computeStream()), "cuMemcpyDtoDAsync(" + n * dst.dtype().byteSize() + " bytes)");
            return;
        }
        var c = Layouts.collapse(dst.shape(), src, dst);
        if (src.dtype() == DType.F32 && dst.dtype() == DType.F32 && transposeCopy(be, src, dst, c)) return;
        KernelArgs a = new KernelArgs();
        if (src.dtype() == dst.dtype() && src.dtype() == DType.F32) {
            a.ptr(addr(src)); c.add(a, 0); a.ptr(addr(dst)); c.add(a, 1); a.i64(n);
            be.launcher().elementwise("copy", "gw_copy_f32", n, a);
        } else if (src.dtype() == dst.dtype() && src.dtype().byteSize() == 8) {
            a.ptr(addr(src)); c.add(a, 0); a.ptr(addr(dst)); c.add(a, 1); a.i64(n);
            be.launcher().elementwise("copy", "gw_copy_raw8", n, a);
        } else {
            a.ptr(addr(src)).i32(src.dtype().ordinal()); c.add(a, 0);
            a.ptr(addr(dst)).i32(dst.dtype().ordinal()); c.add(a, 1); a.i64(n);
            be.launcher().elementwise("copy", "gw_copy_convert", n, a);
        }
    }

    /**
     * dst contiguous [B?, R, C] and src the transpose of a contiguous [B?, C, R] (a permute of the
     * last two dims, as attention's head split/merge and .mT().contiguous() produce): tiled kernel.
     */
    private static boolean transposeCopy(CudaBackend be, Tensor src, Tensor dst, Layouts.Collapsed c) {
        int r = c.shape().length;
        if (r < 2 || r > 3) return false;
        long[] ss = c.strides()[0], ds = c.strides()[1];
        int rows = c.shape()[r - 2], cols = c.shape()[r - 1];
        boolean dstDense = ds[r - 1] == 1 && ds[r - 2] == cols && (r == 2 || ds[0] == (long) rows * cols);
        boolean srcT = ss[r - 2] == 1 && ss[r - 1] == rows && (r == 2 || ss[0] == (long) rows * cols);
        if (!dstDense || !srcT) return false;
        int batch = r == 3 ? c.shape()[0] : 1;
        // src memory is [batch, cols, rows] contiguous; the kernel transposes [rows', cols'] = [cols, rows].
        KernelArgs a = new KernelArgs().ptr(addr(src)).ptr(addr(dst)).i32(cols).i32(rows);
        be.launcher().launch("transpose", "gw_transpose_f32", (rows + 31) / 32, (cols + 31) / 32, batch, 32, 8, 1, 0, a);
        return true;
    }

    static void fill(CudaBackend be, Tensor dst, double v) {
        long n = dst.numel();
        if (n == 0) return;
        if (dst.isContiguous() && dst.dtype().byteSize() == 4) {
            int bits = dst.dtype() == DType.F32 ? Float.floatToRawIntBits((float) v) : (int) v;
            be.context().makeCurrent();
            Cu.check(cuMemsetD32Async(DevicePointers.of(addr(dst)), bits, n, be.context().computeStream()), "cuMemsetD32Async");
            return;
        }
        var c = Layouts.collapse(dst.shape(), dst);
        KernelArgs a = new KernelArgs().ptr(addr(dst)).i32(dst.dtype().ordinal());
        c.add(a, 0);
        a.f64(v).i64(n);
        be.launcher().elementwise("copy", "gw_fill", n, a);
    }

    static void unary(CudaBackend be, UnaryOp op, Tensor x, Tensor out, double p, double q) {
        long n = out.numel();
        if (n == 0) return;
        var c = Layouts.collapse(out.shape(), x, out);
        if (x.dtype() == DType.F32 && out.dtype() == DType.F32) {
            if (c.flat(0) && c.flat(1) && vec4(n, addr(x), addr(out))) {
                KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(x)).ptr(addr(out)).i64(n / 4).f32((float) p).f32((float) q);
                be.launcher().elementwise("elementwise", "gw_unary_f32_v4", n / 4, a);
                return;
            }
            KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(x));
            c.add(a, 0);
            a.ptr(addr(out));
            c.add(a, 1);
            a.i64(n).f32((float) p).f32((float) q);
            be.launcher().elementwise("elementwise", "gw_unary_f32", n, a);
            return;
        }
        KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(x)).i32(x.dtype().ordinal());
        c.add(a, 0);
        a.ptr(addr(out)).i32(out.dtype().ordinal());
        c.add(a, 1);
        a.i64(n).f64(p).f64(q);
        be.launcher().elementwise("elementwise", "gw_unary_generic", n, a);
    }

    static void binary(CudaBackend be, BinaryOp op, Tensor x, Tensor y, Tensor out) {
        long n = out.numel();
        if (n == 0) return;
        var c = Layouts.collapse(out.shape(), x, y, out);
        if (x.dtype() == DType.F32 && y.dtype() == DType.F32 && out.dtype() == DType.F32) {
            if (c.flat(0) && c.flat(1) && c.flat(2) && vec4(n, addr(x), addr(y), addr(out))) {
                KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(x)).ptr(addr(y)).ptr(addr(out)).i64(n / 4);
                be.launcher().elementwise("elementwise", "gw_binary_f32_v4", n / 4, a);
                return;
            }
            KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(x));
            c.add(a, 0);
            a.ptr(addr(y));
            c.add(a, 1);
            a.ptr(addr(out));
            c.add(a, 2);
            a.i64(n);
            be.launcher().elementwise("elementwise", "gw_binary_f32", n, a);
            return;
        }
        KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(x)).i32(x.dtype().ordinal());
        c.add(a, 0);
        a.ptr(addr(y)).i32(y.dtype().ordinal());
        c.add(a, 1);
        a.ptr(addr(out)).i32(out.dtype().ordinal());
        c.add(a, 2);
        a.i64(n);
        be.launcher().elementwise("elementwise", "gw_binary_generic", n, a);
    }

    static void where(CudaBackend be, Tensor cond, Tensor x, Tensor y, Tensor out) {
        long n = out.numel();
        if (n == 0) return;
        if (x.dtype() != out.dtype() || y.dtype() != out.dtype())
            throw new IllegalArgumentException("where: a " + x.dtype() + ", b " + y.dtype() + " and out " + out.dtype() + " must share a dtype");
        var c = Layouts.collapse(out.shape(), cond, x, y, out);
        KernelArgs a = new KernelArgs().ptr(addr(cond)).i32(cond.dtype().ordinal());
        c.add(a, 0);
        a.ptr(addr(x)).ptr(addr(y)).i32(out.dtype().ordinal());
        c.add(a, 1);
        c.add(a, 2);
        a.ptr(addr(out));
        c.add(a, 3);
        a.i64(n);
        be.launcher().elementwise("elementwise", "gw_where", n, a);
    }

    static void random(CudaBackend be, Tensor out, RandomKind kind, long seed, long offset, double lo, double hi) {
        long n = out.numel();
        if (n == 0) return;
        if (!out.isContiguous()) throw new IllegalArgumentException("random: output must be contiguous, got strides "
                + java.util.Arrays.toString(out.strides()));
        KernelArgs a = new KernelArgs().i32(kind.ordinal()).ptr(addr(out)).i32(out.dtype().ordinal()).i64(n)
                .i64(seed).i64(offset).f64(lo).f64(hi);
        be.launcher().elementwise("random", "gw_random", n, a);
    }
}
