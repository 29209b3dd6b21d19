package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.TwoWayContrastive;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.ReleasingResult;

import java.util.Arrays;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeAll;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireCudaF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static dev.groundwork.kernels.cuda.RowGeometry.lineThreads;

/**
 * Host side of contrastive.cu: VG-BERT's symmetric InfoNCE over a [B,B] similarity (spec 3.3) with
 * its gradient, and the pooled cosine variant (spec 5.2), and the engine's
 * {@link TwoWayContrastive.Kernel} on CUDA ({@link #fused}). Matches {@code TwoWayContrastive.losses}
 * and {@code TwoWayContrastive.pooled} of the engine; no autograd (the caller wires forward and
 * backward).
 *
 * <p>Ownership: the state objects ({@link TwoWay}, {@link Pooled}) keep what backward needs and
 * release it in {@link AutoCloseable#close()}; the tensors they hand out ({@code losses()},
 * {@code sim()}) and those returned by the backward methods belong to the caller. Inputs may be
 * closed by the caller after forward: the state holds its own reference to their storage.
 */
public final class ContrastiveKernels {
    private ContrastiveKernels() {}

    static final String FILE = "contrastive";
    static final EntryPoint LSE = EntryPoint.of(FILE, "gw_contrastive_lse", PTR, I32, F32, PTR);
    static final EntryPoint LOSS_GRAD = EntryPoint.of(FILE, "gw_contrastive_loss_grad", PTR, PTR, I32, F32, PTR, PTR, F32, F32, PTR, PTR);
    static final EntryPoint L2NORM_ROWS = EntryPoint.of(FILE, "gw_l2norm_rows", PTR, PTR, PTR, I32, F32);
    static final EntryPoint L2NORM_ROWS_BACKWARD = EntryPoint.of(FILE, "gw_l2norm_rows_bwd", PTR, PTR, PTR, PTR, I32, F32);
    /** The eps of the pooled variant's L2 normalisation (x / max(||x||, eps)). */
    public static final double NORM_EPS = 1e-12;

    // ------------------------------------------------------------------ two-way cross entropy

    /** Forward state of {@link #forward}: the similarity, the 2B log-sum-exps and sigma. */
    public static final class TwoWay implements AutoCloseable {
        private final Tensor sim;      // [B,B] contiguous, own reference
        private final Tensor lse;      // [2,B]: rows, then columns
        private final Tensor losses;   // [2] {loss_i2l, loss_l2i}, the caller's
        private final int b;
        private final double sigma;

        private TwoWay(Tensor sim, Tensor lse, Tensor losses, int b, double sigma) {
            this.sim = sim;
            this.lse = lse;
            this.losses = losses;
            this.b = b;
            this.sigma = sigma;
        }

        /** {loss_i2l, loss_l2i} as one [2] CUDA tensor (the caller's to close). */
        public Tensor losses() { return losses; }

        public int batch() { return b; }

        public double sigma() { return sigma; }

        @Override public void close() {
            sim.close();
            lse.close();
        }
    }

    /**
     * loss_i2l = mean_i -log softmax_c(sim[i,:]/sigma)[i] and loss_l2i = mean_c -log softmax_i(sim[:,c]/sigma)[c]
     * of a [B,B] CUDA float32 similarity; the state keeps what {@link #backward} needs.
     */
    public static TwoWay forward(CudaDevice dev, Tensor sim, double sigma) {
        int b = checkSim(dev, sim, sigma);
        Tensor simD = dev.tensors().retainDense(sim);
        Tensor lse = null, losses = null;
        try {
            lse = dev.empty(DType.F32, 2, b);
            losses = dev.empty(DType.F32, 2);
            launchLse(dev, simD, lse, b, sigma);
            launchLossGrad(dev, simD, lse, b, sigma, 0, null, null, 0, 0, null, losses);
            return new TwoWay(simD, lse, losses, b, sigma);
        } catch (RuntimeException | Error e) {
            closeAll(simD, lse, losses);
            throw e;
        }
    }

    /** dsim [B,B] of g_i2l * loss_i2l + g_l2i * loss_l2i. */
    public static Tensor backward(CudaDevice dev, TwoWay s, double gI2L, double gL2I) {
        return backward(dev, s, null, null, gI2L, gL2I);
    }

    /**
     * As {@link #backward(CudaDevice, TwoWay, double, double)} with the upstream scalars on the
     * device (one-element float32 CUDA tensors, e.g. autograd gradients; null counts as 0): no
     * host synchronisation.
     */
    public static Tensor backward(CudaDevice dev, TwoWay s, Tensor gI2L, Tensor gL2I) {
        checkScalar(dev, "g_i2l", gI2L);
        checkScalar(dev, "g_l2i", gL2I);
        return backward(dev, s, gI2L, gL2I, 0, 0);
    }

    private static Tensor backward(CudaDevice dev, TwoWay s, Tensor gp0, Tensor gp1, double g0, double g1) {
        if (s == null) throw new IllegalArgumentException("contrastive backward: no forward state");
        Tensor dsim = dev.empty(DType.F32, s.b, s.b);
        try {
            launchLossGrad(dev, s.sim, s.lse, s.b, s.sigma, s.b, gp0, gp1, g0, g1, dsim, null);
            return dsim;
        } catch (RuntimeException | Error e) {
            dsim.close();
            throw e;
        }
    }

    /**
     * Forward and gradient in the same two launches (upstream scalars known in advance, e.g. 1, 1):
     * {losses [2], dsim [B,B]}, both the caller's.
     */
    public static Tensor[] lossAndGrad(CudaDevice dev, Tensor sim, double sigma, double gI2L, double gL2I) {
        int b = checkSim(dev, sim, sigma);
        Tensor simD = dev.dense(sim);
        Tensor lse = null, losses = null, dsim = null;
        try {
            lse = dev.empty(DType.F32, 2, b);
            losses = dev.empty(DType.F32, 2);
            dsim = dev.empty(DType.F32, b, b);
            launchLse(dev, simD, lse, b, sigma);
            launchLossGrad(dev, simD, lse, b, sigma, b, null, null, gI2L, gL2I, dsim, losses);
            return new Tensor[]{losses, dsim};
        } catch (RuntimeException | Error e) {
            closeAll(losses, dsim);
            throw e;
        } finally {
            closeAll(lse);
            closeIfCopy(simD, sim);
        }
    }

    private static void launchLse(CudaDevice dev, Tensor sim, Tensor lse, int b, double sigma) {
        dev.launcher().launch(LSE.args().ptr(addr(sim)).i32(b).f32((float) (1.0 / sigma)).ptr(addr(lse)), b, 2, 1, lineThreads(b), 1, 1, 0);
    }

    /** rows (B or 0) blocks write dsim; with losses != null one more block writes the two losses. */
    private static void launchLossGrad(CudaDevice dev, Tensor sim, Tensor lse, int b, double sigma, int rows,
                                       Tensor gp0, Tensor gp1, double g0, double g1, Tensor dsim, Tensor losses) {
        int blocks = rows + (losses != null ? 1 : 0);
        dev.launcher().launch(LOSS_GRAD.args().ptr(addr(sim)).ptr(addr(lse)).i32(b).f32((float) (1.0 / sigma))
                        .ptr(gp0 == null ? 0 : addr(gp0)).ptr(gp1 == null ? 0 : addr(gp1)).f32((float) g0).f32((float) g1)
                        .ptr(dsim == null ? 0 : addr(dsim)).ptr(losses == null ? 0 : addr(losses)),
                blocks, 1, 1, lineThreads(b), 1, 1, 0);
    }

    // ------------------------------------------------------------------ pooled (cosine) variant

    /** Forward state of {@link #pooledForward}: the normalised rows, their norms and the cross-entropy state. */
    public static final class Pooled implements AutoCloseable {
        private final Tensor imageN, languageN, imageNorm, languageNorm, sim;
        private final TwoWay ce;
        private final int b, d;

        private Pooled(Tensor imageN, Tensor languageN, Tensor imageNorm, Tensor languageNorm, Tensor sim, TwoWay ce, int b, int d) {
            this.imageN = imageN;
            this.languageN = languageN;
            this.imageNorm = imageNorm;
            this.languageNorm = languageNorm;
            this.sim = sim;
            this.ce = ce;
            this.b = b;
            this.d = d;
        }

        /** {loss_i2l, loss_l2i} as one [2] CUDA tensor (the caller's to close). */
        public Tensor losses() { return ce.losses(); }

        /** The cosine similarity [B,B] (released by {@link #close()}). */
        public Tensor sim() { return sim; }

        @Override public void close() { closeAll(imageN, languageN, imageNorm, languageNorm, sim, ce); }
    }

    /**
     * Pooled contrastive loss of image [B,D] and language [B,D]: rows L2-normalised (eps 1e-12), sim =
     * cosine by one GEMM (cuBLAS through {@code dev.matmul}; it follows the backend's TF32 setting),
     * then the fused two-way cross entropy.
     */
    public static Pooled pooledForward(CudaDevice dev, Tensor image, Tensor language, double sigma) {
        if (image == null || language == null) throw new IllegalArgumentException("pooled_contrastive: image and language are required");
        if (image.dim() != 2)
            throw new IllegalArgumentException("pooled_contrastive: image " + Shape.str(image.shape()) + " must be [B,D]");
        if (!Arrays.equals(image.shape(), language.shape()))
            throw new IllegalArgumentException("pooled_contrastive: language " + Shape.str(language.shape()) + " must match image " + Shape.str(image.shape()));
        checkSigma("pooled_contrastive", sigma);
        requireCudaF32(dev, "pooled_contrastive", "image", image);
        requireCudaF32(dev, "pooled_contrastive", "language", language);
        int b = image.size(0), d = image.size(1);
        Tensor imageN = null, languageN = null, imageNorm = null, languageNorm = null, sim = null;
        try {
            imageN = dev.empty(DType.F32, b, d);
            languageN = dev.empty(DType.F32, b, d);
            imageNorm = dev.empty(DType.F32, b);
            languageNorm = dev.empty(DType.F32, b);
            normalizeRows(dev, image, imageN, imageNorm, b, d);
            normalizeRows(dev, language, languageN, languageNorm, b, d);
            sim = dev.empty(DType.F32, b, b);
            try (Tensor lt = languageN.asStrided(new int[]{d, b}, new int[]{1, d}, languageN.offset())) {
                dev.matmul(imageN, lt, sim);
            }
            TwoWay ce = forward(dev, sim, sigma);
            return new Pooled(imageN, languageN, imageNorm, languageNorm, sim, ce, b, d);
        } catch (RuntimeException | Error e) {
            closeAll(imageN, languageN, imageNorm, languageNorm, sim);
            throw e;
        }
    }

    /** {dImage [B,D], dLanguage [B,D]} of g_i2l * loss_i2l + g_l2i * loss_l2i. */
    public static Tensor[] pooledBackward(CudaDevice dev, Pooled s, double gI2L, double gL2I) {
        if (s == null) throw new IllegalArgumentException("pooled_contrastive backward: no forward state");
        int b = s.b, d = s.d;
        Tensor dsim = null, dImageN = null, dLanguageN = null, dImage = null, dLanguage = null;
        try {
            dsim = backward(dev, s.ce, gI2L, gL2I);
            dImageN = dev.empty(DType.F32, b, d);
            dLanguageN = dev.empty(DType.F32, b, d);
            dev.matmul(dsim, s.languageN, dImageN);                                          // dsim  . l^
            try (Tensor dsimT = dsim.asStrided(new int[]{b, b}, new int[]{1, b}, dsim.offset())) {
                dev.matmul(dsimT, s.imageN, dLanguageN);                                    // dsim^T . g^
            }
            dImage = dev.empty(DType.F32, b, d);
            dLanguage = dev.empty(DType.F32, b, d);
            normalizeRowsBackward(dev, dImageN, s.imageN, s.imageNorm, dImage, b, d);
            normalizeRowsBackward(dev, dLanguageN, s.languageN, s.languageNorm, dLanguage, b, d);
            return new Tensor[]{dImage, dLanguage};
        } catch (RuntimeException | Error e) {
            closeAll(dImage, dLanguage);
            throw e;
        } finally {
            closeAll(dsim, dImageN, dLanguageN);
        }
    }

    private static void normalizeRows(CudaDevice dev, Tensor x, Tensor y, Tensor norm, int rows, int d) {
        Tensor xd = dev.dense(x);
        try {
            dev.launcher().launch(L2NORM_ROWS.args().ptr(addr(xd)).ptr(addr(y)).ptr(addr(norm)).i32(d).f32((float) NORM_EPS),
                    rows, 1, 1, lineThreads(d), 1, 1, 0);
        } finally {
            closeIfCopy(xd, x);
        }
    }

    private static void normalizeRowsBackward(CudaDevice dev, Tensor dy, Tensor y, Tensor norm, Tensor dx, int rows, int d) {
        dev.launcher().launch(L2NORM_ROWS_BACKWARD.args().ptr(addr(dy)).ptr(addr(y)).ptr(addr(norm)).ptr(addr(dx)).i32(d).f32((float) NORM_EPS),
                rows, 1, 1, lineThreads(d), 1, 1, 0);
    }

    // ------------------------------------------------------------------ checks

    private static int checkSim(CudaDevice dev, Tensor sim, double sigma) {
        if (sim == null) throw new IllegalArgumentException("contrastive: similarity is required");
        if (sim.dim() != 2 || sim.size(0) != sim.size(1))
            throw new IllegalArgumentException("contrastive: similarity " + Shape.str(sim.shape()) + " must be square [B,B]");
        if (sim.size(0) == 0) throw new IllegalArgumentException("contrastive: similarity " + Shape.str(sim.shape()) + " is empty");
        checkSigma("contrastive", sigma);
        requireCudaF32(dev, "contrastive", "similarity", sim);
        return sim.size(0);
    }

    private static void checkSigma(String op, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException(op + ": sigma must be positive and finite, got " + sigma);
    }

    private static void checkScalar(CudaDevice dev, String what, Tensor g) {
        if (g == null) return;
        if (g.numel() != 1) throw new IllegalArgumentException("contrastive backward: " + what + " " + Shape.str(g.shape()) + " must hold one element");
        requireCudaF32(dev, "contrastive backward", what, g);
    }

    // ------------------------------------------------------------------ the engine's op on these kernels

    /** {@link TwoWayContrastive.Kernel} on dev: null (compose) for a similarity that is not float32. */
    public static TwoWayContrastive.Kernel fused(CudaDevice dev) {
        return (sim, sigma, forBackward) -> {
            if (sim.dtype() != DType.F32) return null;
            TwoWay s = forward(dev, sim, sigma);
            return ReleasingResult.of(s.losses(), g -> {
                Tensor gd = dev.dense(g);
                try (Tensor g0 = gd.asStrided(new int[]{1}, new int[]{1}, gd.offset());
                     Tensor g1 = gd.asStrided(new int[]{1}, new int[]{1}, gd.offset() + gd.stride(0))) {
                    return new Tensor[]{backward(dev, s, g0, g1)};
                } finally {
                    closeIfCopy(gd, g);
                }
            }, s);
        };
    }
}
