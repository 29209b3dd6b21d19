package dev.groundwork.kernels.fused;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.backend.CudaBackend.addr;

/**
 * Host side of contrastive.cu: VG-BERT's symmetric InfoNCE over a [B,B] similarity (spec 3.3) with
 * its gradient, and the pooled cosine variant (spec 5.2). Matches {@code Contrastive.twoWay} and
 * {@code Contrastive.pooled} of the engine; no autograd (the caller wires forward and backward).
 *
 * <p>Ownership: the state objects ({@link TwoWay}, {@link Pooled}) keep what backward needs and
 * release it in {@link AutoCloseable#close()}; the tensors they hand out ({@code losses()},
 * {@code sim()}) and those returned by the backward methods belong to the caller. Inputs may be
 * closed by the caller after forward: the state holds its own reference to their storage.
 */
public final class FusedContrastive {
    private FusedContrastive() {}

    static final String MODULE = "contrastive";
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
    public static TwoWay forward(CudaBackend be, Tensor sim, double sigma) {
        int b = checkSim(be, sim, sigma);
        Tensor simD = retainDense(be, sim);
        Tensor lse = null, losses = null;
        try {
            lse = be.empty(DType.F32, 2, b);
            losses = be.empty(DType.F32, 2);
            launchLse(be, simD, lse, b, sigma);
            launchLossGrad(be, simD, lse, b, sigma, 0, null, null, 0, 0, null, losses);
            return new TwoWay(simD, lse, losses, b, sigma);
        } catch (RuntimeException | Error e) {
            closeAll(simD, lse, losses);
            throw e;
        }
    }

    /** dsim [B,B] of g_i2l * loss_i2l + g_l2i * loss_l2i. */
    public static Tensor backward(CudaBackend be, TwoWay s, double gI2L, double gL2I) {
        return backward(be, s, null, null, gI2L, gL2I);
    }

    /**
     * As {@link #backward(CudaBackend, TwoWay, double, double)} with the upstream scalars on the
     * device (one-element float32 CUDA tensors, e.g. autograd gradients; null counts as 0): no
     * host synchronisation.
     */
    public static Tensor backward(CudaBackend be, TwoWay s, Tensor gI2L, Tensor gL2I) {
        checkScalar(be, "g_i2l", gI2L);
        checkScalar(be, "g_l2i", gL2I);
        return backward(be, s, gI2L, gL2I, 0, 0);
    }

    private static Tensor backward(CudaBackend be, TwoWay s, Tensor gp0, Tensor gp1, double g0, double g1) {
        if (s == null) throw new IllegalArgumentException("contrastive backward: no forward state");
        Tensor dsim = be.empty(DType.F32, s.b, s.b);
        try {
            launchLossGrad(be, s.sim, s.lse, s.b, s.sigma, s.b, gp0, gp1, g0, g1, dsim, null);
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
    public static Tensor[] lossAndGrad(CudaBackend be, Tensor sim, double sigma, double gI2L, double gL2I) {
        int b = checkSim(be, sim, sigma);
        Tensor simD = be.dense(sim);
        Tensor lse = null, losses = null, dsim = null;
        try {
            lse = be.empty(DType.F32, 2, b);
            losses = be.empty(DType.F32, 2);
            dsim = be.empty(DType.F32, b, b);
            launchLse(be, simD, lse, b, sigma);
            launchLossGrad(be, simD, lse, b, sigma, b, null, null, gI2L, gL2I, dsim, losses);
            return new Tensor[]{losses, dsim};
        } catch (RuntimeException | Error e) {
            closeAll(losses, dsim);
            throw e;
        } finally {
            closeAll(lse);
            CudaBackend.closeIfCopy(simD, sim);
        }
    }

    private static void launchLse(CudaBackend be, Tensor sim, Tensor lse, int b, double sigma) {
        be.launcher().launch(MODULE, "gw_contrastive_lse", b, 2, 1, threads(b), 1, 1, 0,
                new KernelArgs().ptr(addr(sim)).i32(b).f32((float) (1.0 / sigma)).ptr(addr(lse)));
    }

    /** rows (B or 0) blocks write dsim; with losses != null one more block writes the two losses. */
    private static void launchLossGrad(CudaBackend be, Tensor sim, Tensor lse, int b, double sigma, int rows,
                                       Tensor gp0, Tensor gp1, double g0, double g1, Tensor dsim, Tensor losses) {
        int blocks = rows + (losses != null ? 1 : 0);
        be.launcher().launch(MODULE, "gw_contrastive_loss_grad", blocks, 1, 1, threads(b), 1, 1, 0,
                new KernelArgs().ptr(addr(sim)).ptr(addr(lse)).i32(b).f32((float) (1.0 / sigma))
                        .ptr(gp0 == null ? 0 : addr(gp0)).ptr(gp1 == null ? 0 : addr(gp1)).f32((float) g0).f32((float) g1)
                        .ptr(dsim == null ? 0 : addr(dsim)).ptr(losses == null ? 0 : addr(losses)));
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
     * cosine by one GEMM (cuBLAS through {@code be.matmul}; it follows the backend's TF32 setting),
     * then the fused two-way cross entropy.
     */
    public static Pooled pooledForward(CudaBackend be, Tensor image, Tensor language, double sigma) {
        if (image == null || language == null) throw new IllegalArgumentException("pooled_contrastive: image and language are required");
        if (image.dim() != 2)
            throw new IllegalArgumentException("pooled_contrastive: image " + Shape.str(image.shape()) + " must be [B,D]");
        if (!java.util.Arrays.equals(image.shape(), language.shape()))
            throw new IllegalArgumentException("pooled_contrastive: language " + Shape.str(language.shape()) + " must match image " + Shape.str(image.shape()));
        checkSigma("pooled_contrastive", sigma);
        requireCudaF32(be, "pooled_contrastive", "image", image);
        requireCudaF32(be, "pooled_contrastive", "language", language);
        int b = image.size(0), d = image.size(1);
        Tensor imageN = null, languageN = null, imageNorm = null, languageNorm = null, sim = null;
        try {
            imageN = be.empty(DType.F32, b, d);
            languageN = be.empty(DType.F32, b, d);
            imageNorm = be.empty(DType.F32, b);
            languageNorm = be.empty(DType.F32, b);
            normalizeRows(be, image, imageN, imageNorm, b, d);
            normalizeRows(be, language, languageN, languageNorm, b, d);
            sim = be.empty(DType.F32, b, b);
            try (Tensor lt = languageN.asStrided(new int[]{d, b}, new int[]{1, d}, languageN.offset())) {
                be.matmul(imageN, lt, sim);
            }
            TwoWay ce = forward(be, sim, sigma);
            return new Pooled(imageN, languageN, imageNorm, languageNorm, sim, ce, b, d);
        } catch (RuntimeException | Error e) {
            closeAll(imageN, languageN, imageNorm, languageNorm, sim);
            throw e;
        }
    }

    /** {dImage [B,D], dLanguage [B,D]} of g_i2l * loss_i2l + g_l2i * loss_l2i. */
    public static Tensor[] pooledBackward(CudaBackend be, Pooled s, double gI2L, double gL2I) {
        if (s == null) throw new IllegalArgumentException("pooled_contrastive backward: no forward state");
        int b = s.b, d = s.d;
        Tensor dsim = null, dImageN = null, dLanguageN = null, dImage = null, dLanguage = null;
        try {
            dsim = backward(be, s.ce, gI2L, gL2I);
            dImageN = be.empty(DType.F32, b, d);
            dLanguageN = be.empty(DType.F32, b, d);
            be.matmul(dsim, s.languageN, dImageN);                                          // dsim  . l^
            try (Tensor dsimT = dsim.asStrided(new int[]{b, b}, new int[]{1, b}, dsim.offset())) {
                be.matmul(dsimT, s.imageN, dLanguageN);                                    // dsim^T . g^
            }
            dImage = be.empty(DType.F32, b, d);
            dLanguage = be.empty(DType.F32, b, d);
            normalizeRowsBackward(be, dImageN, s.imageN, s.imageNorm, dImage, b, d);
            normalizeRowsBackward(be, dLanguageN, s.languageN, s.languageNorm, dLanguage, b, d);
            return new Tensor[]{dImage, dLanguage};
        } catch (RuntimeException | Error e) {
            closeAll(dImage, dLanguage);
            throw e;
        } finally {
            closeAll(dsim, dImageN, dLanguageN);
        }
    }

    private static void normalizeRows(CudaBackend be, Tensor x, Tensor y, Tensor norm, int rows, int d) {
        Tensor xd = be.dense(x);
        try {
            be.launcher().launch(MODULE, "gw_l2norm_rows", rows, 1, 1, threads(d), 1, 1, 0,
                    new KernelArgs().ptr(addr(xd)).ptr(addr(y)).ptr(addr(norm)).i32(d).f32((float) NORM_EPS));
        } finally {
            CudaBackend.closeIfCopy(xd, x);
        }
    }

    private static void normalizeRowsBackward(CudaBackend be, Tensor dy, Tensor y, Tensor norm, Tensor dx, int rows, int d) {
        be.launcher().launch(MODULE, "gw_l2norm_rows_bwd", rows, 1, 1, threads(d), 1, 1, 0,
                new KernelArgs().ptr(addr(dy)).ptr(addr(y)).ptr(addr(norm)).ptr(addr(dx)).i32(d).f32((float) NORM_EPS));
    }

    // ------------------------------------------------------------------ shared helpers (package)

    /** Threads for a block reducing one line of n values: a power of two in [32, 256]. */
    static int threads(int n) {
        int t = 32;
        while (t < n && t < 256) t <<= 1;
        return t;
    }

    private static int checkSim(CudaBackend be, Tensor sim, double sigma) {
        if (sim == null) throw new IllegalArgumentException("contrastive: similarity is required");
        if (sim.dim() != 2 || sim.size(0) != sim.size(1))
            throw new IllegalArgumentException("contrastive: similarity " + Shape.str(sim.shape()) + " must be square [B,B]");
        if (sim.size(0) == 0) throw new IllegalArgumentException("contrastive: similarity " + Shape.str(sim.shape()) + " is empty");
        checkSigma("contrastive", sigma);
        requireCudaF32(be, "contrastive", "similarity", sim);
        return sim.size(0);
    }

    private static void checkSigma(String op, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException(op + ": sigma must be positive and finite, got " + sigma);
    }

    private static void checkScalar(CudaBackend be, String what, Tensor g) {
        if (g == null) return;
        if (g.numel() != 1) throw new IllegalArgumentException("contrastive backward: " + what + " " + Shape.str(g.shape()) + " must hold one element");
        requireCudaF32(be, "contrastive backward", what, g);
    }

    /** t is a float32 tensor on be's device (shape checks come first, so they also run without a GPU). */
    static void requireCudaF32(CudaBackend be, String op, String what, Tensor t) {
        requireCuda(be, op, what, t, DType.F32);
    }

    static void requireCuda(CudaBackend be, String op, String what, Tensor t, DType dtype) {
        if (t.dtype() != dtype) throw new IllegalArgumentException(op + ": " + what + " must be " + dtype + ", got " + t.dtype());
        if (t.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(op + ": " + what + " is on " + t.device() + "; the fused kernels need CUDA tensors");
        if (be == null) throw new IllegalArgumentException(op + ": no CUDA backend given");
        if (!t.device().equals(be.device()))
            throw new IllegalArgumentException(op + ": " + what + " is on " + t.device() + " but the backend is " + be.device());
    }

    /** A contiguous tensor with its own reference to the storage: a retained view of t, or a dense copy. */
    static Tensor retainDense(CudaBackend be, Tensor t) {
        Tensor d = be.dense(t);
        return d != t ? d : t.asStrided(t.shape(), t.strides(), t.offset());
    }

    static void zero(CudaBackend be, long address, long bytes, String what) {
        if (bytes == 0) return;
        be.context().makeCurrent();
        Cu.check(jcuda.driver.JCudaDriver.cuMemsetD8Async(DevicePointers.of(address), (byte) 0, bytes, be.context().computeStream()),
                "cuMemsetD8Async(" + what + ", " + bytes + " bytes)");
    }

    static void closeAll(AutoCloseable... cs) {
        RuntimeException first = null;
        for (AutoCloseable c : cs) {
            if (c == null) continue;
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException(e);
            }
        }
        if (first != null) throw first;
    }
}
