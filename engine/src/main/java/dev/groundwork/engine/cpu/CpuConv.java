package dev.groundwork.engine.cpu;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Routes conv2d: float32 to the banded-im2col + blocked-GEMM kernels ({@link Conv2dKernels}), other
 * dtypes (float64 gradient checks) to the direct reference loops ({@link CpuConvReference}).
 * Operands arrive dense (contiguous from offset 0).
 */
final class CpuConv {
    private CpuConv() {}

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    private static float[] a(Tensor t) { return t == null ? null : CpuBackend.cpu(t).f32(); }

    static void forward(CpuConvReference.Geometry g, Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (f32(x, w, bias, out) && out.offset() == 0) {
            Conv2dKernels.forward(a(x), g.n(), g.c(), g.h(), g.w(), a(w), g.o(), g.kh(), g.kw(), a(bias),
                    g.sh(), g.sw(), g.ph(), g.pw(), a(out));
            return;
        }
        CpuConvReference.forward(g, CpuBackend.cpu(x), CpuBackend.cpu(w), bias == null ? null : CpuBackend.cpu(bias), CpuBackend.cpu(out));
    }

    static void backwardData(CpuConvReference.Geometry g, Tensor gy, Tensor w, Tensor gx) {
        if (f32(gy, w, gx) && gx.offset() == 0) {
            Conv2dKernels.backwardData(a(gy), g.n(), g.c(), g.h(), g.w(), a(w), g.o(), g.kh(), g.kw(),
                    g.sh(), g.sw(), g.ph(), g.pw(), a(gx));
            return;
        }
        CpuConvReference.backwardData(g, CpuBackend.cpu(gy), CpuBackend.cpu(w), CpuBackend.cpu(gx));
    }

    static void backwardWeight(CpuConvReference.Geometry g, Tensor x, Tensor gy, Tensor gw, Tensor gb) {
        if (f32(x, gy, gw, gb) && gw.offset() == 0 && (gb == null || gb.offset() == 0)) {
            Conv2dKernels.backwardWeight(a(x), a(gy), g.n(), g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(),
                    g.sh(), g.sw(), g.ph(), g.pw(), a(gw), a(gb));
            return;
        }
        CpuConvReference.backwardWeight(g, CpuBackend.cpu(x), CpuBackend.cpu(gy), CpuBackend.cpu(gw), gb == null ? null : CpuBackend.cpu(gb));
    }
}
