package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/** Layer norm over the last dim; {@code weight} starts at 1 and {@code bias} at 0, as in torch. */
public final class LayerNorm extends Module implements UnaryModule {
    private final int dim;
    private final double eps;
    private final boolean affine;

    /** torch's defaults: eps 1e-5, with weight and bias. */
    public LayerNorm(int dim) { this(dim, 1e-5, true); }

    public LayerNorm(int dim, double eps, boolean elementwiseAffine) {
        if (dim <= 0) throw new IllegalArgumentException("LayerNorm needs a positive size, got " + dim);
        this.dim = dim;
        this.eps = eps;
        this.affine = elementwiseAffine;
        if (elementwiseAffine) {
            registerParameter("weight", Tensor.full(1.0, DType.F32, Device.CPU, dim));
            registerParameter("bias", Tensor.zeros(DType.F32, Device.CPU, dim));
        }
    }

    /** The scale, or null without elementwise affine. */
    public Tensor weight() { return affine ? param("weight") : null; }

    public Tensor bias() { return affine ? param("bias") : null; }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != dim)
            throw new IllegalArgumentException("LayerNorm(" + dim + ") got input of shape " + Shape.str(x.shape()));
        return F.layerNorm(x, weight(), bias(), eps);
    }

    @Override
    protected String extraRepr() { return "(" + dim + ",), eps=" + eps + ", elementwise_affine=" + affine; }
}
