package dev.groundwork.kernels.ops;

import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of im2col.cu: one image's unfolded patches [C*R*S, OH*OW] and the folding back (col2im,
 * one thread per input pixel gathering, so no atomics), for the im2col + cuBLAS convolution.
 */
public final class Im2colKernels {
    private Im2colKernels() {}

    static final String FILE = "im2col";
    static final EntryPoint IM2COL = EntryPoint.of(FILE, "gw_im2col_f32", PTR, PTR, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32);
    static final EntryPoint COL2IM = IM2COL.with("gw_col2im_f32");

    /** One convolution's geometry: input C x H x W, filter R x S, stride, padding, output OH x OW. */
    public record Geometry(int c, int h, int w, int r, int s, int sh, int sw, int ph, int pw, int oh, int ow) {
        long colsSize() { return (long) c * r * s * oh * ow; }

        KernelArgs args(EntryPoint e, long from, long to) {
            return e.args().ptr(from).ptr(to).i32(c).i32(h).i32(w).i32(r).i32(s).i32(sh).i32(sw).i32(ph).i32(pw).i32(oh).i32(ow);
        }
    }

    /** cols [C*R*S, OH*OW] from one image x [C,H,W] (raw addresses). */
    public static void im2col(CudaDevice dev, Geometry g, long x, long cols) {
        dev.launcher().elementwise(g.args(IM2COL, x, cols), g.colsSize());
    }

    /** x [C,H,W] = the sum over cols' patches back onto the image (raw addresses). */
    public static void col2im(CudaDevice dev, Geometry g, long cols, long x) {
        dev.launcher().elementwise(g.args(COL2IM, cols, x), (long) g.c() * g.h() * g.w());
    }
}
