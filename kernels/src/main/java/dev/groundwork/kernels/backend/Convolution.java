package dev.groundwork.kernels.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.blas.Cublas;
import dev.groundwork.kernels.dnn.CudnnConv;
import dev.groundwork.kernels.memory.DeviceBuffer;
import dev.groundwork.kernels.ops.BiasKernels;
import dev.groundwork.kernels.ops.Im2colKernels;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;

/**
 * conv2d forward / backward-data / backward-weight (no .cu of its own): cuDNN where it loaded, else
 * (or when forced, for testing) our im2col.cu ({@link Im2colKernels}) + cuBLAS GEMM per image. Bias
 * add and bias gradient are our bias.cu kernels ({@link BiasKernels}) on both paths.
 */
final class Convolution {
    private final CudaBackend be;
    private final CudnnConv cudnn;
    private volatile boolean forceOwn;

    Convolution(CudaBackend be) {
        this.be = be;
        this.cudnn = be.cudnn() == null ? null : new CudnnConv(be.cudnn(), be::scratch);
    }

    void forceOwn(boolean on) { forceOwn = on; }

    private boolean useCudnn() { return cudnn != null && !forceOwn; }

    private record Geo(int n, int c, int h, int w, int k, int r, int s, int sh, int sw, int ph, int pw, int oh, int ow) {
        CudnnConv.Geometry cudnn(boolean tf32) { return new CudnnConv.Geometry(n, c, h, w, k, r, s, sh, sw, ph, pw, tf32); }
        Im2colKernels.Geometry im2col() { return new Im2colKernels.Geometry(c, h, w, r, s, sh, sw, ph, pw, oh, ow); }
        long colsSize() { return (long) c * r * s * oh * ow; }
    }

    private static Geo geo(int[] xs, int[] ws, int[] stride, int[] padding) {
        int oh = (xs[2] + 2 * padding[0] - ws[2]) / stride[0] + 1, ow = (xs[3] + 2 * padding[1] - ws[3]) / stride[1] + 1;
        return new Geo(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], stride[0], stride[1], padding[0], padding[1], oh, ow);
    }

    private static void f32(String what, Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32)
            throw new IllegalArgumentException(what + ": CUDA convolution computes float32, got " + t.dtype());
    }

    private int compute() { return be.tf32() ? Cublas.COMPUTE_32F_FAST_TF32 : Cublas.COMPUTE_32F; }

    void forward(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, Tensor out) {
        f32("conv2d", x, weight, bias, out);
        Geo g = geo(x.shape(), weight.shape(), stride, padding);
        Tensor xd = be.dense(x), wd = be.dense(weight), od = be.dense(out);
        try {
            if (useCudnn()) {
                cudnn.forward(g.cudnn(be.tf32()), addr(xd), addr(wd), addr(od));
            } else {
                long hw = (long) g.oh() * g.ow(), kk = (long) g.c() * g.r() * g.s();
                try (DeviceBuffer cols = be.scratch(g.colsSize() * 4)) {
                    for (int i = 0; i < g.n(); i++) {
                        im2col(g, addr(xd) + (long) i * g.c() * g.h() * g.w() * 4, cols.address());
                        // out[i] (K x HW) = W (K x CRS) * cols (CRS x HW); column-major: outᵀ = colsᵀ Wᵀ
                        be.cublas().gemm(Cublas.OP_N, Cublas.OP_N, (int) hw, g.k(), (int) kk, 1f,
                                cols.address(), Cublas.R_32F, (int) hw, 0, addr(wd), Cublas.R_32F, (int) kk, 0,
                                0f, addr(od) + (long) i * g.k() * hw * 4, Cublas.R_32F, (int) hw, 0, 1, compute());
                    }
                }
            }
            if (bias != null) BiasKernels.addNchw(be, od, bias, g.n(), g.k(), (long) g.oh() * g.ow());
            if (od != out) be.copy(od, out);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(wd, weight);
            closeIfCopy(od, out);
        }
    }

    void backwardData(Tensor gradOut, Tensor weight, int[] stride, int[] padding, Tensor gradX) {
        f32("conv2d backward", gradOut, weight, gradX);
        Geo g = geo(gradX.shape(), weight.shape(), stride, padding);
        Tensor gd = be.dense(gradOut), wd = be.dense(weight), xd = be.dense(gradX);
        try {
            if (useCudnn()) {
                cudnn.backwardData(g.cudnn(be.tf32()), addr(wd), addr(gd), addr(xd));
            } else {
                long hw = (long) g.oh() * g.ow(), kk = (long) g.c() * g.r() * g.s();
                try (DeviceBuffer cols = be.scratch(g.colsSize() * 4)) {
                    for (int i = 0; i < g.n(); i++) {
                        // cols (CRS x HW) = Wᵀ (CRS x K) * gOut[i] (K x HW); column-major: colsᵀ = gOutᵀ W
                        be.cublas().gemm(Cublas.OP_N, Cublas.OP_T, (int) hw, (int) kk, g.k(), 1f,
                                addr(gd) + (long) i * g.k() * hw * 4, Cublas.R_32F, (int) hw, 0, addr(wd), Cublas.R_32F, (int) kk, 0,
                                0f, cols.address(), Cublas.R_32F, (int) hw, 0, 1, compute());
                        col2im(g, cols.address(), addr(xd) + (long) i * g.c() * g.h() * g.w() * 4);
                    }
                }
            }
            if (xd != gradX) be.copy(xd, gradX);
        } finally {
            closeIfCopy(gd, gradOut);
            closeIfCopy(wd, weight);
            closeIfCopy(xd, gradX);
        }
    }

    void backwardWeight(Tensor x, Tensor gradOut, int[] stride, int[] padding, Tensor gradW, Tensor gradBias) {
        f32("conv2d backward", x, gradOut, gradW, gradBias);
        Geo g = geo(x.shape(), gradW.shape(), stride, padding);
        Tensor xd = be.dense(x), gd = be.dense(gradOut), wd = be.dense(gradW);
        try {
            long hw = (long) g.oh() * g.ow(), kk = (long) g.c() * g.r() * g.s();
            if (useCudnn()) {
                cudnn.backwardFilter(g.cudnn(be.tf32()), addr(xd), addr(gd), addr(wd));
            } else {
                try (DeviceBuffer cols = be.scratch(g.colsSize() * 4)) {
                    for (int i = 0; i < g.n(); i++) {
                        im2col(g, addr(xd) + (long) i * g.c() * g.h() * g.w() * 4, cols.address());
                        // gW (K x CRS) += gOut[i] (K x HW) * colsᵀ (HW x CRS); column-major: gWᵀ += cols gOutᵀ
                        be.cublas().gemm(Cublas.OP_T, Cublas.OP_N, (int) kk, g.k(), (int) hw, 1f,
                                cols.address(), Cublas.R_32F, (int) hw, 0, addr(gd) + (long) i * g.k() * hw * 4, Cublas.R_32F, (int) hw, 0,
                                i == 0 ? 0f : 1f, addr(wd), Cublas.R_32F, (int) kk, 0, 1, compute());
                    }
                }
            }
            if (wd != gradW) be.copy(wd, gradW);
            if (gradBias != null) BiasKernels.gradNchw(be, gd, gradBias, g.n(), g.k(), hw);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(gd, gradOut);
            closeIfCopy(wd, gradW);
        }
    }

    private void im2col(Geo g, long x, long cols) { Im2colKernels.im2col(be, g.im2col(), x, cols); }

    private void col2im(Geo g, long cols, long x) { Im2colKernels.col2im(be, g.im2col(), cols, x); }
}
