package dev.groundwork.kernels.ops;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.cuda.Layouts;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of elementwise.cu, behind {@code Backend.unary}, {@code binary} and {@code where}: the
 * op is its Java enum ordinal (ops.cuh lists the same names, OpCodesTest checks). Flat float32
 * operands with 16-byte-aligned addresses take the float4 kernels; other float32 layouts the strided
 * ones; other dtypes the generic ones, computing in double.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static final String FILE = "elementwise";
    static final EntryPoint UNARY_F32_V4 = EntryPoint.of(FILE, "gw_unary_f32_v4", I32, PTR, PTR, I64, F32, F32);
    static final EntryPoint UNARY_F32 = EntryPoint.of(FILE, "gw_unary_f32", I32, PTR, LAYOUT, PTR, LAYOUT, I64, F32, F32);
    static final EntryPoint UNARY_GENERIC = EntryPoint.of(FILE, "gw_unary_generic", I32, PTR, I32, LAYOUT, PTR, I32, LAYOUT, I64, F64, F64);
    static final EntryPoint BINARY_F32_V4 = EntryPoint.of(FILE, "gw_binary_f32_v4", I32, PTR, PTR, PTR, I64);
    static final EntryPoint BINARY_F32 = EntryPoint.of(FILE, "gw_binary_f32", I32, PTR, LAYOUT, PTR, LAYOUT, PTR, LAYOUT, I64);
    static final EntryPoint BINARY_GENERIC = EntryPoint.of(FILE, "gw_binary_generic", I32, PTR, I32, LAYOUT, PTR, I32, LAYOUT, PTR, I32, LAYOUT, I64);
    static final EntryPoint WHERE = EntryPoint.of(FILE, "gw_where", PTR, I32, LAYOUT, PTR, PTR, I32, LAYOUT, LAYOUT, PTR, LAYOUT, I64);

    private static boolean vec4(long n, long... addresses) {
        if (n % 4 != 0) return false;
        for (long a : addresses) if (a % 16 != 0) return false;
        return true;
    }

    public static void unary(CudaDevice dev, UnaryOp op, Tensor x, Tensor out, double p, double q) {
        long n = out.numel();
        if (n == 0) return;
        var c = Layouts.collapse(out.shape(), x, out);
        if (x.dtype() == DType.F32 && out.dtype() == DType.F32) {
            if (c.flat(0) && c.flat(1) && vec4(n, addr(x), addr(out))) {
                KernelArgs a = UNARY_F32_V4.args().i32(op.ordinal()).ptr(addr(x)).ptr(addr(out)).i64(n / 4).f32((float) p).f32((float) q);
                dev.launcher().elementwise(a, n / 4);
                return;
            }
            KernelArgs a = UNARY_F32.args().i32(op.ordinal()).ptr(addr(x));
            c.add(a, 0);
            a.ptr(addr(out));
            c.add(a, 1);
            a.i64(n).f32((float) p).f32((float) q);
            dev.launcher().elementwise(a, n);
            return;
        }
        KernelArgs a = UNARY_GENERIC.args().i32(op.ordinal()).ptr(addr(x)).i32(x.dtype().ordinal());
        c.add(a, 0);
        a.ptr(addr(out)).i32(out.dtype().ordinal());
        c.add(a, 1);
        a.i64(n).f64(p).f64(q);
        dev.launcher().elementwise(a, n);
    }

    public static void binary(CudaDevice dev, BinaryOp op, Tensor x, Tensor y, Tensor out) {
        long n = out.numel();
        if (n == 0) return;
        var c = Layouts.collapse(out.shape(), x, y, out);
        if (x.dtype() == DType.F32 && y.dtype() == DType.F32 && out.dtype() == DType.F32) {
            if (c.flat(0) && c.flat(1) && c.flat(2) && vec4(n, addr(x), addr(y), addr(out))) {
                KernelArgs a = BINARY_F32_V4.args().i32(op.ordinal()).ptr(addr(x)).ptr(addr(y)).ptr(addr(out)).i64(n / 4);
                dev.launcher().elementwise(a, n / 4);
                return;
            }
            KernelArgs a = BINARY_F32.args().i32(op.ordinal()).ptr(addr(x));
            c.add(a, 0);
            a.ptr(addr(y));
            c.add(a, 1);
            a.ptr(addr(out));
            c.add(a, 2);
            a.i64(n);
            dev.launcher().elementwise(a, n);
            return;
        }
        KernelArgs a = BINARY_GENERIC.args().i32(op.ordinal()).ptr(addr(x)).i32(x.dtype().ordinal());
        c.add(a, 0);
        a.ptr(addr(y)).i32(y.dtype().ordinal());
        c.add(a, 1);
        a.ptr(addr(out)).i32(out.dtype().ordinal());
        c.add(a, 2);
        a.i64(n);
        dev.launcher().elementwise(a, n);
    }

    public static void where(CudaDevice dev, Tensor cond, Tensor x, Tensor y, Tensor out) {
        long n = out.numel();
        if (n == 0) return;
        if (x.dtype() != out.dtype() || y.dtype() != out.dtype())
            throw new IllegalArgumentException("where: a " + x.dtype() + ", b " + y.dtype() + " and out " + out.dtype() + " must share a dtype");
        var c = Layouts.collapse(out.shape(), cond, x, y, out);
        KernelArgs a = WHERE.args().ptr(addr(cond)).i32(cond.dtype().ordinal());
        c.add(a, 0);
        a.ptr(addr(x)).ptr(addr(y)).i32(out.dtype().ordinal());
        c.add(a, 1);
        c.add(a, 2);
        a.ptr(addr(out));
        c.add(a, 3);
        a.i64(n);
        dev.launcher().elementwise(a, n);
    }
}
