package dev.groundwork.engine.ops;

import dev.groundwork.engine.tensor.Tensor;

/** Classification losses, composed of differentiable ops. */
public final class Losses {
    private Losses() {}

    public enum Reduction { MEAN, SUM }

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
        Tensor idx = Tensor.ofLongs(safe, n, 1).to(logits.device());
        Tensor mask = Tensor.of(keep, n).to(logits.dtype()).to(logits.device());
        Tensor picked = Indexing.gather(Normalization.logSoftmax(logits, 1), 1, idx).reshape(n);
        Tensor total = picked.mul(mask).sum().neg();
        return reduction == Reduction.SUM ? total : total.div(kept);
    }
}
