package dev.groundwork.engine.ops;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

import java.util.List;

/**
 * The functional API: every general op of the engine in one place (the op registry users see). Each
 * entry delegates to the class that holds that op's forward and backward side by side.
 *
 * <p>Research ops live outside this class and outside {@code Backend}, each model family's in a
 * package of its own behind its own facade: VG-BERT's in {@code ops.vgbert} ({@code VgBertOps}).
 * To add one: write the op as a composite of these primitives with its backward beside it (that is
 * the reference on every backend); if a backend can fuse it, declare a {@code Kernel} interface
 * nested in the op's class returning a {@link FusedResult}, ask {@code backend().kernel(Op.Kernel.class)}
 * first and record its result with {@link Fused#run}, and let the backend return its implementation
 * from {@code Backend.kernel}. Neither this class nor {@code Backend} changes; {@link Attention} is
 * the worked example inside the engine.
 */
public final class F {
    private F() {}

    // ---- linear algebra
    public static Tensor matmul(Tensor a, Tensor b) { return LinearAlgebra.matmul(a, b); }

    /** y = x W^T + b; bias may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return LinearAlgebra.linear(x, weight, bias); }

    // ---- convolution and pooling (NCHW)
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return Conv.conv2d(x, weight, bias, new int[]{stride, stride}, new int[]{padding, padding});
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        return Conv.conv2d(x, weight, bias, stride, padding);
    }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride) { return Conv.maxPool2d(x, kernel, stride, 0); }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) { return Conv.maxPool2d(x, kernel, stride, padding); }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) { return Conv.avgPool2d(x, kernel, stride, padding); }

    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) { return Conv.adaptiveAvgPool2d(x, outH, outW); }

    // ---- activations
    public static Tensor relu(Tensor x) { return Elementwise.relu(x); }

    public static Tensor gelu(Tensor x) { return Elementwise.gelu(x); }

    public static Tensor tanh(Tensor x) { return Elementwise.tanh(x); }

    public static Tensor sigmoid(Tensor x) { return Elementwise.sigmoid(x); }

    /** gelu(x + bias), bias [D] over x's last dim: a linear layer's bias fused into its activation (BERT's FFN). */
    public static Tensor biasGelu(Tensor x, Tensor bias) { return BiasGelu.biasGelu(x, bias); }

    // ---- normalisation
    public static Tensor softmax(Tensor x, int dim) { return Normalization.softmax(x, dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return Normalization.logSoftmax(x, dim); }

    /** Layer norm over the last dim; weight and bias may be null. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) { return Normalization.layerNorm(x, weight, bias, eps); }

    /** x / max(||x||_2, eps) along dim (torch.nn.functional.normalize). */
    public static Tensor normalize(Tensor x, int dim, double eps) { return Normalization.normalize(x, dim, eps); }

    // ---- indexing and shape
    /** weight[ids]: ids I64 of any shape, result ids.shape + [D]. */
    public static Tensor embedding(Tensor ids, Tensor weight) { return Indexing.embedding(ids, weight); }

    public static Tensor gather(Tensor x, int dim, Tensor index) { return Indexing.gather(x, dim, index); }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) { return Indexing.indexSelect(x, dim, index); }

    public static Tensor cat(List<Tensor> ts, int dim) { return Indexing.cat(ts, dim); }

    public static Tensor stack(List<Tensor> ts, int dim) { return Indexing.stack(ts, dim); }

    /** Chunks of splitSize along dim (the last may be smaller), as views. */
    public static List<Tensor> split(Tensor x, int splitSize, int dim) { return Indexing.split(x, splitSize, dim); }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    public static Tensor maskedFill(Tensor x, Tensor mask, double value) { return Elementwise.maskedFill(x, mask, value); }

    // ---- regularisation
    /** Inverted dropout: zeroes with probability p, scales survivors by 1/(1-p); identity when !training. */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) { return Dropout.dropout(x, p, training, gen); }

    /**
     * residual + dropout(x + bias), bias [D] over x's last dim, the mask drawn as {@link #dropout} draws
     * it: a linear layer's bias, the dropout after it and the residual add in one op (BERT's residual paths).
     */
    public static Tensor biasDropoutAdd(Tensor x, Tensor bias, Tensor residual, double p, boolean training, Generator gen) {
        return BiasDropoutAdd.biasDropoutAdd(x, bias, residual, p, training, gen);
    }

    // ---- losses
    /** Mean (or sum) cross entropy of logits [N, C] against targets [N] (I64), skipping ignoreIndex. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, int ignoreIndex, Losses.Reduction reduction) {
        return Losses.crossEntropy(logits, target, ignoreIndex, reduction);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return Losses.crossEntropy(logits, target, -100, Losses.Reduction.MEAN);
    }

    // ---- attention
    /**
     * softmax(q k^T / sqrt(d) + (1 - keyMask) * maskValue) v. q [B,H,Tq,d], k and v [B,H,Tk,d],
     * keyMask [B,Tk] (1 keep, 0 pad) or null.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue) {
        return Attention.attention(q, k, v, keyMask, maskValue);
    }

    /** {@link #attention} with inverted dropout p on the probabilities (BERT training), drawn from gen; p = 0 or !training: none. */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue, double p, boolean training, Generator gen) {
        return Attention.attention(q, k, v, keyMask, maskValue, training ? p : 0, gen);
    }
}
