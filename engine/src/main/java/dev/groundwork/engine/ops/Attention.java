package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention with an additive key mask and optional dropout on the
 * probabilities, as one autograd node.
 *
 * <p>Forward: S = q k^T / sqrt(d) + (1 - mask) * maskValue, P = softmax(S), P~ = P * Z, O = P~ v,
 * where Z = keep_mask / (1 - p) is inverted dropout (Z = 1 without dropout). Element (b,h,i,j) of
 * the keep mask is the Bernoulli(1 - p) draw of Philox(seed, offset + ((b*H + h)*Tq + i)*Tk + j):
 * exactly the mask {@link Dropout} would draw for a float32 [B,H,Tq,Tk] probability tensor, so a fused
 * kernel can regenerate it from (seed, offset) in its backward instead of storing it. This CPU
 * reference keeps P and Z for the backward pass; a backend with a {@link Kernel} (CUDA: flash-style
 * kernels for head dims 64 and 96) keeps only the row log-sum-exp.
 *
 * <p>Backward: dV = P~^T dO, dP = (dO v^T) * Z, dS = P * (dP - rowsum(dP * P)), dQ = dS k / sqrt(d),
 * dK = dS^T q / sqrt(d). (rowsum(dP * P) = rowsum(dO * O) holds with dropout too.)
 */
public final class Attention {
    private Attention() {}

    /** A backend's fused attention ({@link Backend#kernel}); null from either means "compose". */
    public interface Kernel {
        /**
         * dropout(softmax(q kᵀ/√d + (1 − mask)·maskValue)) v; inputs q, k, v, keyMask. With dropout > 0
         * the keep decision of probability (b,h,i,j) is Philox(seed, offset + ((b·H + h)·Tq + i)·Tk + j)
         * as the class comment defines it, so the backward regenerates it rather than storing it.
         */
        FusedResult attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, double dropout, long seed, long offset,
                              boolean forBackward);
    }

    /** Without dropout. */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue) {
        return attention(q, k, v, keyMask, maskValue, 0, null);
    }

    /**
     * @param dropout probability of zeroing an attention probability, in [0, 1); 0 = none
     * @param gen     the dropout stream (required when dropout > 0); this call reserves B*H*Tq*Tk of it
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, double dropout, Generator gen) {
        Out.rank("attention", "q", q, 4);
        Out.rank("attention", "k", k, 4);
        Out.rank("attention", "v", v, 4);
        int b = q.size(0), h = q.size(1), tq = q.size(2), d = q.size(3), tk = k.size(2);
        if (k.size(0) != b || v.size(0) != b || k.size(1) != h || v.size(1) != h || k.size(3) != d || v.size(2) != tk)
            throw new IllegalArgumentException("attention: q " + Shape.str(q.shape()) + ", k " + Shape.str(k.shape()) + ", v " + Shape.str(v.shape())
                    + " must be [B,H,Tq,d], [B,H,Tk,d], [B,H,Tk,dv]");
        if (keyMask != null) Out.shape("attention", "key_mask", keyMask, b, tk);
        if (!(dropout >= 0 && dropout < 1))
            throw new IllegalArgumentException("attention: dropout probability must be in [0, 1), got " + dropout);
        if (dropout > 0 && gen == null) throw new IllegalArgumentException("attention: dropout " + dropout + " needs a generator");
        long seed = gen == null ? 0 : gen.seed();
        long offset = dropout > 0 ? gen.reserve((long) b * h * tq * tk) : 0;
        Kernel kernel = q.backend().kernel(Kernel.class);
        Tensor fused = kernel == null ? null : Fused.run("attention",
                kernel.attention(q, k, v, keyMask, maskValue, dropout, seed, offset, Autograd.needsGrad(q, k, v)), q, k, v, keyMask);
        if (fused != null) return fused;
        double scale = 1 / Math.sqrt(d);
        Tensor p, z, pz, out;
        try (var s = GradMode.noGrad()) {
            // The [B,H,Tq,Tk] score temporaries are closed as soon as the next one exists: the backward needs
            // only P (and Z), and a training step's scope would otherwise hold three more score-sized tensors
            // per layer until the step ends (the CPU reuses their buffers at once, see CpuBufferPool).
            Tensor scores = Out.consumed(q.matmul(k.mT()), qk -> qk.mul(scale));
            if (keyMask != null) {
                Tensor bias = keyMask.to(q.dtype()).mul(-1).add(1).mul(maskValue).reshape(b, 1, 1, tk);
                scores = Out.consumed(scores, sc -> sc.add(bias));
            }
            p = Out.consumed(scores, sc -> Normalization.softmax(sc, -1));
            z = dropout > 0 ? keepScale(p, dropout, seed, offset) : null;
            pz = z == null ? p : p.mul(z);
            out = pz.matmul(v);
        }
        return Autograd.record("attention", out, new Tensor[]{q, k, v, null}, g -> {
            Tensor dv = v.requiresGrad() ? pz.mT().matmul(g) : null;
            Tensor dp = g.matmul(v.mT());
            if (z != null) dp = dp.mul(z);
            Tensor ds = p.mul(dp.sub(dp.mul(p).sum(-1, true)));
            Tensor dq = q.requiresGrad() ? ds.matmul(k).mul(scale) : null;
            Tensor dk = k.requiresGrad() ? ds.mT().matmul(q).mul(scale) : null;
            return new Tensor[]{dq, dk, dv, null};
        });
    }

    /**
     * Z = keep / (1 - p) over p's shape, drawn as {@link Dropout} draws a float32 mask. The draw is
     * float32's (24-bit uniforms) whatever p's dtype, so a float64 reference sees the very mask the
     * float32 and GPU paths see.
     */
    private static Tensor keepScale(Tensor like, double dropout, long seed, long offset) {
        Tensor mask = Tensor.empty(DType.F32, like.device(), like.shape());
        like.backend().random(mask, Backend.RandomKind.BERNOULLI, seed, offset, 1 - dropout, 0);
        return mask.to(like.dtype()).mul(1 / (1 - dropout));
    }
}
