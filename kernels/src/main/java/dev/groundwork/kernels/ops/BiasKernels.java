package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of bias.cu: a convolution's per-channel bias added to NCHW output, and its gradient
 * (one block per channel summing N x HW), on both convolution paths (cuDNN and im2col).
 */
public final class BiasKernels {
    private BiasKernels() {}

    static final String FILE = "bias";
    static final EntryPoint ADD_NCHW = EntryPoint.of(FILE, "gw_bias_add_nchw_f32", PTR, PTR, I32, I32, I64);
    static final EntryPoint GRAD_NCHW = EntryPoint.of(FILE, "gw_bias_grad_nchw_f32", PTR, PTR, I32, I32, I64);

    /** out [N,K,HW] (contiguous) += bias [K]. */
    public static void addNchw(CudaDevice dev, Tensor out, Tensor bias, int n, int k, long hw) {
        Tensor bd = dev.dense(bias);
        try {
            dev.launcher().elementwise(ADD_NCHW.args().ptr(addr(out)).ptr(addr(bd)).i32(n).i32(k).i64(hw), (long) n * k * hw);
        } finally {
            closeIfCopy(bd, bias);
        }
    }

    /** gradBias [K] = Σ_{n, hw} gradOut [N,K,HW] (contiguous), one block of 256 threads per channel. */
    public static void gradNchw(CudaDevice dev, Tensor gradOut, Tensor gradBias, int n, int k, long hw) {
        Tensor bd = dev.dense(gradBias);
        try {
            dev.launcher().launch(GRAD_NCHW.args().ptr(addr(gradOut)).ptr(addr(bd)).i32(n).i32(k).i64(hw), k, 1, 1, 256, 1, 1, 0);
            if (bd != gradBias) dev.copy(bd, gradBias);
        } finally {
            closeIfCopy(bd, gradBias);
        }
    }
}
