package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.cuda.Layouts;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

/**
 * Host side of copy.cu, behind {@code Backend.copy} and {@code Backend.fill}. A contiguous
 * same-dtype copy is a driver memcpy and a contiguous 4-byte fill a driver memset; a transposed
 * float32 copy goes to {@link TransposeKernels}; the rest are strided grid-stride kernels over
 * collapsed layouts.
 */
public final class CopyKernels {
    private CopyKernels() {}

    static final String FILE = "copy";
    static final EntryPoint COPY_F32 = EntryPoint.of(FILE, "gw_copy_f32", PTR, LAYOUT, PTR, LAYOUT, I64);
    static final EntryPoint COPY_RAW8 = EntryPoint.of(FILE, "gw_copy_raw8", PTR, LAYOUT, PTR, LAYOUT, I64);
    static final EntryPoint COPY_CONVERT = EntryPoint.of(FILE, "gw_copy_convert", PTR, I32, LAYOUT, PTR, I32, LAYOUT, I64);
    static final EntryPoint FILL = EntryPoint.of(FILE, "gw_fill", PTR, I32, LAYOUT, F64, I64);

    /** dst[i] = src[i], converting dtype; same shape, any strides. */
    public static void copy(CudaDevice dev, Tensor src, Tensor dst) {
        long n = dst.numel();
        if (n == 0) return;
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            dev.context().makeCurrent();
            Cu.check(cuMemcpyDtoDAsync(DevicePointers.of(addr(dst)), DevicePointers.of(addr(src)), n * dst.dtype().byteSize(),
                    dev.context().computeStream()), "cuMemcpyDtoDAsync(" + n * dst.dtype().byteSize() + " bytes)");
            return;
        }
        var c = Layouts.collapse(dst.shape(), src, dst);
        if (src.dtype() == DType.F32 && dst.dtype() == DType.F32 && TransposeKernels.transposeCopy(dev, src, dst, c)) return;
        KernelArgs a;
        if (src.dtype() == dst.dtype() && src.dtype() == DType.F32) {
            a = COPY_F32.args().ptr(addr(src)); c.add(a, 0); a.ptr(addr(dst)); c.add(a, 1); a.i64(n);
        } else if (src.dtype() == dst.dtype() && src.dtype().byteSize() == 8) {
            a = COPY_RAW8.args().ptr(addr(src)); c.add(a, 0); a.ptr(addr(dst)); c.add(a, 1); a.i64(n);
        } else {
            a = COPY_CONVERT.args().ptr(addr(src)).i32(src.dtype().ordinal()); c.add(a, 0);
            a.ptr(addr(dst)).i32(dst.dtype().ordinal()); c.add(a, 1); a.i64(n);
        }
        dev.launcher().elementwise(a, n);
    }

    /** Every element of dst (any strides) set to v. */
    public static void fill(CudaDevice dev, Tensor dst, double v) {
        long n = dst.numel();
        if (n == 0) return;
        if (dst.isContiguous() && dst.dtype().byteSize() == 4) {
            int bits = dst.dtype() == DType.F32 ? Float.floatToRawIntBits((float) v) : (int) v;
            dev.context().makeCurrent();
            Cu.check(cuMemsetD32Async(DevicePointers.of(addr(dst)), bits, n, dev.context().computeStream()), "cuMemsetD32Async");
            return;
        }
        var c = Layouts.collapse(dst.shape(), dst);
        KernelArgs a = FILL.args().ptr(addr(dst)).i32(dst.dtype().ordinal());
        c.add(a, 0);
        a.f64(v).i64(n);
        dev.launcher().elementwise(a, n);
    }
}
