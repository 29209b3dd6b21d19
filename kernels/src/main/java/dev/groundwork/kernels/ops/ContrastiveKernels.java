package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.TwoWayContrastive;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.ReleasingResult;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeAll;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireCudaF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static dev.groundwork.kernels.cuda.RowGeometry.lineThreads;

/**
 * Host side of contrastive.cu: VG-BERT's symmetric InfoNCE over a [B,B] similarity (spec 3.3, and
 * 5.2's pooled variant once its cosine similarity is composed) with its gradient, and the engine's
 * {@link TwoWayContrastive.Kernel} on CUDA ({@link #fused}). Matches {@code TwoWayContrastive.losses};
 * no autograd (the caller wires forward and backward).
 *
 * <p>Ownership: the state object ({@link TwoWay}) keeps what backward needs and releases it in
 * {@link AutoCloseable#close()}; the tensors it hands out ({@code losses()}) and those returned by the
 * backward methods belong to the caller. Inputs may be closed by the caller after forward: the state
 * holds its own reference to their storage.
 */
public final class ContrastiveKernels {
    private ContrastiveKernels() {}

    static final String FILE = "contrastive";
    static final EntryPoint LSE = EntryPoint.of(FILE, "gw_contrastive_lse", PTR, I32, F32, PTR);
    static final EntryPoint LOSS_GRAD = EntryPoint.of(FILE, "gw_contrastive_loss_grad", PTR, PTR, I32, F32, PTR, PTR, F32, F32, PTR, PTR);

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
