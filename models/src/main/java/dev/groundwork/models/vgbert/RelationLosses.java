package dev.groundwork.models.vgbert;

import dev.groundwork.engine.autograd.GradMode;
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
     *
     * <p>§4.5's vectorised form builds the |𝒫|×|𝒫| matrix Z and a mask of the same size: at the
     * paper's batch (180 Visual Genome images, thousands of labelled pairs) that is tens of millions of
     * entries. But every pair with predicate c has the same negatives, so with z = s/τ
     * <pre>
     *   G_c = Σ_{q: c_q ≠ c} exp(z_q[c] − M_c),   M_c = max_{q: c_q ≠ c} z_q[c]       (one pass over [|𝒫|, K])
     *   L_p = log(G_{c_p} exp(M_{c_p} − m_p) + exp(z_p[c_p] − m_p)) + m_p − z_p[c_p],   m_p = max(M_{c_p}, z_p[c_p])
     * </pre>
     * is the same loss in O(|𝒫|·K) time and memory, from primitive ops on any backend, so no fused
     * kernel is needed for it. The shifts M and m are constants of the backward (the log-sum-exp does
     * not depend on them), both exp arguments are ≤ 0 and one is 0, so nothing overflows; a predicate
     * with no negatives (M_c = −∞, stood in for by −1e30) gives L_p = 0, as the one-element softmax does.
     */
    public static Tensor pair(Tensor s, Pairs p, double tau, int batch) {
        int n = p.size(), k = s.size(1);
        long[] c = p.labels();
        float[] negative = new float[n * k];   // [q, c] = 1 where pair q is a negative of predicate c
        for (int q = 0; q < n; q++)
            for (int j = 0; j < k; j++) if (c[q] != j) negative[q * k + j] = 1;
        Tensor neg = Tensor.of(negative, n, k).to(s.dtype()).to(s.device());
        Tensor z = s.div(tau);
        Tensor zNeg = F.where(neg, z, Tensor.scalar(NO_NEGATIVE).to(s.dtype()).to(s.device()));
        Tensor idx = labels(p, s);
        Tensor zp = F.gather(z, 1, idx.reshape(n, 1)).reshape(n);
        Tensor colMax, mp, shift;
        try (var g = GradMode.noGrad()) {
            colMax = zNeg.max(0, true).values();                     // M_c [1, K]
            mp = F.indexSelect(colMax.reshape(k), 0, idx);          // M_{c_p}
            shift = mp.maximum(zp);                                  // m_p
        }
        Tensor gc = zNeg.sub(colMax).exp().mul(neg).sum(0, false);  // G_c [K]
        Tensor gp = F.indexSelect(gc, 0, idx);
        Tensor lp = gp.mul(mp.sub(shift).exp()).add(zp.sub(shift).exp()).log().add(shift).sub(zp);
        return lp.sum().div(batch);
    }

    /** Stands in for −∞ as the score of a non-negative; exp(−1e30 − M) is an exact 0 in float32. */
    private static final double NO_NEGATIVE = -1e30;

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
