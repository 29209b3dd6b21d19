package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.backend.FusedKernels;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention with an additive key mask, as one autograd node.
 *
 * <p>Forward: S = q k^T / sqrt(d) + (1 - mask) * maskValue, P = softmax(S), O = P v. This CPU
 * reference keeps P for the backward pass; the fused GPU kernel keeps only the row log-sum-exp.
 * A backend with {@link FusedKernels} (CUDA: flash-style kernels for head dims 64 and 96) computes
 * it without P. Backward: dV = P^T dO, dP = dO v^T, dS = P * (dP - rowsum(dP * P)), dQ = dS k / sqrt(d),
 * dK = dS^T q / sqrt(d).
 */
public final class Attention {
    private Attention() {}

    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue) {
        Out.rank("attention", "q", q, 4);
        Out.rank("attention", "k", k, 4);
        Out.rank("attention", "v", v, 4);
        int b = q.size(0), h = q.size(1), d = q.size(3), tk = k.size(2);
        if (k.size(0) != b || v.size(0) != b || k.size(1) != h || v.size(1) != h || k.size(3) != d || v.size(2) != tk)
            throw new IllegalArgumentException("attention: q " + Shape.str(q.shape()) + ", k " + Shape.str(k.shape()) + ", v " + Shape.str(v.shape())
                    + " must be [B,H,Tq,d], [B,H,Tk,d], [B,H,Tk,dv]");
        if (keyMask != null) Out.shape("attention", "key_mask", keyMask, b, tk);
        Tensor fused = Fused.run("attention", q.backend() instanceof FusedKernels f
                ? f.attention(q, k, v, keyMask, maskValue, Autograd.needsGrad(q, k, v)) : null, q, k, v, keyMask);
        if (fused != null) return fused;
        double scale = 1 / Math.sqrt(d);
        Tensor p, out;
        try (var s = GradMode.noGrad()) {
            Tensor scores = q.matmul(k.mT()).mul(scale);
            if (keyMask != null) {
                Tensor bias = keyMask.to(q.dtype()).mul(-1).add(1).mul(maskValue).reshape(b, 1, 1, tk);
                scores = scores.add(bias);
            }
            p = Normalization.softmax(scores, -1);
            out = p.matmul(v);
        }
        Tensor pf = p;
        return Autograd.record("attention", out, new Tensor[]{q, k, v, null}, g -> {
            Tensor dv = v.requiresGrad() ? pf.mT().matmul(g) : null;
            Tensor dp = g.matmul(v.mT());
            Tensor ds = pf.mul(dp.sub(dp.mul(pf).sum(-1, true)));
            Tensor dq = q.requiresGrad() ? ds.matmul(k).mul(scale) : null;
            Tensor dk = k.requiresGrad() ? ds.mT().matmul(q).mul(scale) : null;
            return new Tensor[]{dq, dk, dv, null};
        });
    }
}
