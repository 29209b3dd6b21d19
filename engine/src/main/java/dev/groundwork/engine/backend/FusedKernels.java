package dev.groundwork.engine.backend;

import dev.groundwork.engine.tensor.Tensor;

/**
 * Fused kernels a backend may offer for whole ops (PyTorch's "backend-specific kernel for a
 * composite op"). The op in package {@code ops} asks its inputs' backend first and falls back to
 * composing {@link Backend} primitives when the backend does not implement this interface or
 * returns null (an unsupported head dim, dtype or size). The CPU reference never fuses, so the
 * composite form is always what the fused one is tested against.
 */
public interface FusedKernels {
    /**
     * The output of a fused forward and how to differentiate it. {@link #backward} maps the output
     * gradient to one gradient per op input (null where the input needs none) and then releases
     * whatever the forward saved; {@link #close} releases it without a backward pass.
     */
    interface Result extends AutoCloseable {
        Tensor output();

        Tensor[] backward(Tensor gradOutput);

        @Override void close();
    }

    /**
     * dropout(softmax(q kᵀ/√d + (1 − mask)·maskValue)) v; inputs q, k, v, keyMask. With dropout > 0 the
     * keep decision of probability (b,h,i,j) is Philox(seed, offset + ((b·H + h)·Tq + i)·Tk + j) as
     * {@code Attention} defines it, so the backward regenerates it rather than storing it.
     */
    default Result attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, double dropout, long seed, long offset,
                             boolean forBackward) { return null; }

    /** VG-BERT's matchmap similarity [B,B]; inputs image, language, nwords. */
    default Result matchmapSimilarity(Tensor image, Tensor language, Tensor nwords, boolean forBackward) { return null; }

    /**
     * VG-BERT's symmetric InfoNCE over a [B,B] similarity whose diagonal holds the positives: the
     * output is [2] = {loss_i2l, loss_l2i}; input sim.
     */
    default Result twoWayContrastive(Tensor sim, double sigma, boolean forBackward) { return null; }

    /** scores[b,k,i,j] = z_bi · M_k · z_bj; inputs objects, relations. */
    default Result bilinearRelation(Tensor objects, Tensor relations, boolean forBackward) { return null; }
}
