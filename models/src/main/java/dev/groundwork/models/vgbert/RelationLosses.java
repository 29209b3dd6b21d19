package dev.groundwork.models.vgbert;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Stage-3 losses and metrics (§4.5-4.6) in the vectorised form of §4.5. Every loss is a SUM over
 * pairs (or objects) divided by the number of images B, not by the number of pairs (§9.13, reproduced).
 */
public final class RelationLosses {
    private RelationLosses() {}

    /** The labelled pairs p = (b,i,j) with c_p > 0, row-major: flat index b·O·O + i·O + j and label c_p. */
    public record Pairs(long[] flat, long[] labels) {
        public int size() { return labels.length; }
    }

    public static Pairs pairs(Tensor relationTarget) {
        long[] t = relationTarget.toLongArray();
        int n = 0;
        for (long v : t) if (v > 0) n++;
        long[] flat = new long[n], labels = new long[n];
        for (int k = 0, m = 0; k < t.length; k++)
            if (t[k] > 0) { flat[m] = k; labels[m++] = t[k]; }
        return new Pairs(flat, labels);
    }

    /** S_𝒫 [|𝒫|, K]: the K scores of each labelled pair, gathered from P [B,K,O,O]. */
    public static Tensor pairScores(Tensor scores, Pairs p) {
        int b = scores.size(0), k = scores.size(1), o = scores.size(2);
        Tensor rows = scores.permute(0, 2, 3, 1).reshape(b * o * o, k);
        return F.indexSelect(rows, 0, Tensor.ofLongs(p.flat(), p.size()).to(scores.device()));
    }

    /** L_rel = (1/B) Σ_p −log softmax(s_p/τ)[c_p], K-way with class 0 a competitor (§9.12). */
    public static Tensor relation(Tensor s, Pairs p, double tau, int batch) {
        return F.crossEntropy(s.div(tau), labels(p, s), -100, Losses.Reduction.SUM).div(batch);
    }

    /**
     * L_pair = (1/B) Σ_p [logsumexp_{q∈A_p} Z_pq/τ − Z_pp/τ] with Z[p,q] = s_q[c_p] and
     * A_p = {p} ∪ {q : c_q ≠ c_p}: a pair competes against every labelled pair of the batch, any image,
     * whose predicate differs, scored with p's matrix; same-predicate pairs are never negatives (§9.14).
     * Written as a cross entropy of the masked rows against the diagonal; excluded entries get −1e9
     * added, which exp turns into an exact 0 without the NaN risk of −inf.
     */
    public static Tensor pair(Tensor s, Pairs p, double tau, int batch) {
        int n = p.size();
        Tensor idx = labels(p, s);
        Tensor z = F.indexSelect(s, 1, idx).mT();   // [p, q] = s_q[c_p]
        double[] mask = new double[n * n];
        long[] c = p.labels();
        for (int a = 0; a < n; a++)
            for (int q = 0; q < n; q++)
                if (q != a && c[q] == c[a]) mask[a * n + q] = -1e9;
        Tensor logits = z.div(tau).add(Tensor.of(mask, n, n).to(s.dtype()).to(s.device()));
        long[] diag = new long[n];
        for (int a = 0; a < n; a++) diag[a] = a;
        return F.crossEntropy(logits, Tensor.ofLongs(diag, n).to(s.device()), -100, Losses.Reduction.SUM).div(batch);
    }

    /** L_obj = (1/B) Σ_{b,o} 1[t>0] CE(c_bo, t_bo): class 0 is ignored (§4.5). */
    public static Tensor object(Tensor logits, Tensor target, int batch) {
        int rows = logits.numel() / logits.size(logits.dim() - 1);
        return F.crossEntropy(logits.reshape(rows, logits.size(logits.dim() - 1)), target.reshape(rows), 0, Losses.Reduction.SUM).div(batch);
    }

    /**
     * Top-k hits for each k: a row counts when fewer than k entries score strictly higher than its
     * target (ties resolved in the target's favour). Rows whose target is {@code skip} are not counted.
     * Returns {hits_k1, hits_k2, ..., counted}.
     */
    public static long[] topK(Tensor scores, long[] target, int[] ks, long skip) {
        int cols = scores.size(scores.dim() - 1), rows = target.length;
        float[] s = scores.detach().contiguous().toFloatArray();
        long[] out = new long[ks.length + 1];
        for (int r = 0; r < rows; r++) {
            if (target[r] == skip) continue;
            float t = s[r * cols + (int) target[r]];
            int above = 0;
            for (int c = 0; c < cols; c++) if (s[r * cols + c] > t) above++;
            for (int k = 0; k < ks.length; k++) if (above < ks[k]) out[k]++;
            out[ks.length]++;
        }
        return out;
    }

    private static Tensor labels(Pairs p, Tensor s) { return Tensor.ofLongs(p.labels(), p.size()).to(s.device()); }
}
