package dev.groundwork.engine.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Storage;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The kernels one device provides. Autograd ops (package {@code ops}) are written once against this
 * interface; the CPU backend is the reference, the CUDA backend (module {@code kernels}) plugs in
 * through {@link Backends}.
 *
 * <p>Conventions: every tensor argument lives on this backend's device; outputs are allocated by
 * the caller, contiguous, with the documented shape, and are overwritten (never accumulated into)
 * unless the method says "Add". Methods marked "any strides" accept views; the rest receive
 * contiguous inputs.
 */
public interface Backend {
    Device device();

    /** A zero-filled storage. */
    Storage allocate(DType dtype, int size);

    /**
     * A storage whose contents are unspecified, for an output the kernel overwrites in full (the CPU backend
     * then reuses a released buffer without zeroing it). Zero-filled unless the backend says otherwise.
     */
    default Storage allocateUninitialized(DType dtype, int size) { return allocate(dtype, size); }

    /** Uploads a host array (float[], double[], long[] or int[]) as a new storage. */
    Storage upload(Object hostArray);

    /** Downloads a tensor (any strides) into a new host array of its dtype, in row-major order. */
    Object download(Tensor t);

    /** dst[i] = src[i], converting dtype; same shape, any strides. */
    void copy(Tensor src, Tensor dst);

    /** Every element of dst (any strides) set to v. */
    void fill(Tensor dst, double v);

    /** out = op(x; p, q); x has out's shape, any strides. */
    void unary(UnaryOp op, Tensor x, Tensor out, double p, double q);

    /** out = op(a, b); a and b are already expanded to out's shape (stride 0 on broadcast dims). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = cond != 0 ? a : b; all three expanded to out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces x (any strides) along dim into out, which has x's shape with size 1 at dim. For MAX/MIN
     * {@code indices} (I64, out's shape) receives the position along dim; it is null for SUM.
     */
    void reduce(ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices);

    /**
     * Batched matrix product out = a · b. a is [..., M, K] and b [..., K, N] with batch dims already
     * expanded to out's [..., M, N]. a and b may be transposed views (unit stride on either of their
     * last two dims): backends express that as GEMM flags instead of copying.
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** NCHW convolution; bias may be null. */
    void conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, Tensor out);

    void conv2dBackwardData(Tensor gradOut, Tensor weight, int[] stride, int[] padding, Tensor gradX);

    /** gradBias may be null. */
    void conv2dBackwardWeight(Tensor x, Tensor gradOut, int[] stride, int[] padding, Tensor gradW, Tensor gradBias);

    /** indices: I32, out's shape, the flat h*W+w position of each window's maximum in its plane. */
    void maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out, Tensor indices);

    void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradX);

    /** Average pooling, count_include_pad semantics. */
    void avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out);

    void avgPool2dBackward(Tensor gradOut, int[] kernel, int[] stride, int[] padding, Tensor gradX);

    void adaptiveAvgPool2d(Tensor x, Tensor out);

    void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradX);

    /** Softmax (or log-softmax) along dim. */
    void softmax(Tensor x, int dim, boolean log, Tensor out);

    /** gradIn from gradOut and the forward output y. */
    void softmaxBackward(Tensor gradOut, Tensor y, int dim, boolean log, Tensor gradIn);

    /**
     * Layer norm over the last {@code normalizedSize} elements of each row; weight/bias may be null.
     * mean and rstd (F32, one per row) are saved for the backward pass.
     */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd);

    /** gradWeight and gradBias may be null (when there is no affine part). */
    void layerNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                           Tensor gradX, Tensor gradWeight, Tensor gradBias);

    /** out[..i..] = x[..index[..i..]..] along dim (torch.gather); index I64 with out's shape. */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** dst[..index[..i..]..] += src[..i..] along dim (torch.scatter_add_). */
    void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src);

    /** out = x.index_select(dim, index); index is a 1-D I64 tensor. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** dst.index_add_(dim, index, src). */
    void indexAdd(Tensor dst, int dim, Tensor index, Tensor src);

    /**
     * Fills out with counter-based random numbers: element i draws from Philox4x32-10 keyed by seed at
     * counter (offset + i), so every backend produces the same numbers for the same (seed, offset).
     */
    void random(Tensor out, RandomKind kind, long seed, long offset, double a, double b);

    /**
     * This backend's fused kernel of the given kind, or null. A kind is an interface declared next to
     * the op it computes ({@code Attention.Kernel}, {@code ops.vgbert.BilinearRelation.Kernel}, ...);
     * the op asks its input's backend and, on null, composes the primitives above, which is also the
     * reference the fused kernel is tested against (PyTorch's "backend-specific kernel for a composite
     * op"). A kernel may itself return null for what it does not cover (a dtype, head dim or size).
     * Optimizer steps look up their kernel the same way ({@code optim.StepKernel}, and gradient clipping's
     * {@code optim.GradClip.SquaredNormKernel}). The CPU backend offers those two (the composition's
     * numbers without its temporaries) and no op kernel: there the composition is the kernel. A new op
     * adds its interface next to itself, never here.
     */
    default <K> K kernel(Class<K> kind) { return null; }

    enum RandomKind {
        /** U[a, b) */ UNIFORM,
        /** N(a, b^2) */ NORMAL,
        /** 1 with probability a (keep), else 0: a dropout mask. */ BERNOULLI
    }
}
