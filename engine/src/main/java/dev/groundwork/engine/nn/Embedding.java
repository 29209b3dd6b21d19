package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/**
 * A lookup table {@code weight} [num, dim] drawn from N(0, 1). With a padding index, that row starts
 * at zero and, as in torch, receives no gradient: padding positions must not learn.
 */
public final class Embedding extends Module {
    private final int num, dim;
    private final int paddingIdx; // -1: none

    public Embedding(int num, int dim, Generator gen) { this(num, dim, null, gen); }

    /** @param paddingIdx the padding row, negative counting from the end as in torch, or null */
    public Embedding(int num, int dim, Integer paddingIdx, Generator gen) {
        if (num <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding needs positive sizes, got " + num + " x " + dim);
        if (paddingIdx != null && (paddingIdx >= num || paddingIdx < -num))
            throw new IllegalArgumentException("padding index " + paddingIdx + " outside [" + -num + ", " + num + ")");
        this.num = num;
        this.dim = dim;
        this.paddingIdx = paddingIdx == null ? -1 : Math.floorMod(paddingIdx, num);
        Tensor w = registerParameter("weight", Tensor.empty(DType.F32, Device.CPU, num, dim));
        Init.normal_(w, 0, 1, gen);
        if (this.paddingIdx >= 0) {
            try (Tensor d = w.detach(); Tensor row = d.select(0, this.paddingIdx)) {
                row.fill_(0);
            }
        }
    }

    public Tensor weight() { return param("weight"); }

    /** Row index of padding, or -1. */
    public int paddingIdx() { return paddingIdx; }

    /** ids (integer, any shape) to ids.shape + [dim]. */
    public Tensor forward(Tensor ids) {
        Tensor out = F.embedding(ids, weight());
        if (paddingIdx < 0 || !out.requiresGrad()) return out;
        // Same values, but padding positions read the detached table, so the padding row gets no gradient.
        Tensor isPad = ids.to(DType.I64).eq(Tensor.full(paddingIdx, DType.I64, ids.device())).unsqueeze(-1);
        return F.where(isPad, out.detach(), out);
    }

    @Override
    protected String extraRepr() { return num + ", " + dim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : ""); }
}
