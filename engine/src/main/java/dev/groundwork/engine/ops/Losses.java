package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.tensor.Tensor;

/** Classification losses, composed of differentiable ops where the backend offers no fused kernel. */
public final class Losses {
    private Losses() {}

    public enum Reduction { MEAN, SUM }

    /**
     * A backend's fused cross entropy ({@link dev.groundwork.engine.backend.Backend#kernel}; CUDA:
     * cross_entropy.cu): the per-row losses and, in the same pass, the gradient of the reduced loss,
     * kept for the backward. Null from either means "compose".
     */
    public interface CrossEntropyKernel {
        /**
         * The reduced loss (0-d) of logits [N, C] against targets [N] (I64), which the op has checked;
         * kept is the number of rows whose target is not ignoreIndex (at least 1 for MEAN). The
         * backward gives {dlogits, null}.
         */
        FusedResult crossEntropy(Tensor logits, Tensor target, int ignoreIndex, int kept, Reduction reduction, boolean forBackward);
    }

    /**
     * -log softmax(logits)[target] per row, rows whose target equals ignoreIndex left out; MEAN
     * divides by the number of kept rows (NaN when none is kept, as PyTorch does).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, int ignoreIndex, Reduction reduction) {
        Out.rank("cross_entropy", "logits", logits, 2);
        Out.integral("cross_entropy", "target", target);
        int n = logits.size(0), c = logits.size(1);
        Out.shape("cross_entropy", "target", target, n);
        long[] t = target.toLongArray();
        long[] safe = new long[n];
        double[] keep = new double[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= c)
                throw new IndexOutOfBoundsException("cross_entropy: target[" + i + "] = " + t[i] + " is outside [0, " + c + ") and is not ignore_index " + ignoreIndex);
            safe[i] = t[i];
            keep[i] = 1;
            kept++;
        }
        CrossEntropyKernel kernel = kept == 0 && reduction == Reduction.MEAN ? null : logits.backend().kernel(CrossEntropyKernel.class);
        Tensor fused = kernel == null ? null : Fused.run("cross_entropy",
                kernel.crossEntropy(logits, target, ignoreIndex, kept, reduction, Autograd.needsGrad(logits)), logits, target);
        if (fused != null) return fused;
        Tensor idx = Tensor.ofLongs(safe, n, 1).to(logits.device());
        Tensor mask = Tensor.of(keep, n).to(logits.dtype()).to(logits.device());
        Tensor picked = Indexing.gather(Normalization.logSoftmax(logits, 1), 1, idx).reshape(n);
        Tensor total = picked.mul(mask).sum().neg();
        return reduction == Reduction.SUM ? total : total.div(kept);
    }
}
