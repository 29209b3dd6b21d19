package dev.groundwork.engine.testing;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.groundwork.engine.testing.OpCase.of;
import static dev.groundwork.engine.testing.OpCase.outputs;
import static dev.groundwork.engine.testing.OpInput.index;
import static dev.groundwork.engine.testing.OpInput.mask;
import static dev.groundwork.engine.testing.OpInput.normal;
import static dev.groundwork.engine.testing.OpInput.positive;
import static dev.groundwork.engine.testing.OpInput.target;

/**
 * The table of op cases: every public op of {@link F} and every differentiable {@link Tensor} method
 * (OpCoverageTest holds that), each with inputs sized for both checks it drives: OpGradientTest
 * (float64 finite differences, CPU) and CudaOpParityTest (float32, CUDA against the CPU, forward and
 * backward). Sizes that look odd are chosen for the GPU: rows longer than a block, reductions that take
 * two stages, head dims with a fused kernel, shapes that are not multiples of a tile.
 *
 * <p>Parity tolerances: 0 (that is, 1e-7) where the CUDA kernel does the same arithmetic, 1e-6 for
 * transcendental functions, 1e-5 where float32 sums run in another order (GEMM, convolution, long
 * reductions, attention, layer norm over 768+).
 */
public final class OpCases {
    private OpCases() {}

    /** Every row, in table order; names are unique. */
    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>();
        all.addAll(views());
        all.addAll(elementwise());
        all.addAll(reductions());
        all.addAll(linearAlgebra());
        all.addAll(convolution());
        all.addAll(rows());
        all.addAll(indexing());
        all.addAll(lossesAndDropout());
        all.addAll(attention());
        all.addAll(VgBertOpCases.all());
        return all;
    }

    static List<OpCase> views() {
        return List.of(
                of("transpose_contiguous", t -> t[0].mT().contiguous(), normal(37, 65)).covers(Tensor.class, "mT", "contiguous").parityTol(0),
                of("transpose_batched", t -> t[0].transpose(1, 2).contiguous().mul(2), normal(3, 33, 70)).covers(Tensor.class, "transpose").parityTol(0),
                of("permute_contiguous", t -> t[0].permute(2, 0, 3, 1).contiguous(), normal(2, 3, 5, 7)).covers(Tensor.class, "permute").parityTol(0),
                // Two uses of one view: the gradients of both paths accumulate into x.
                of("permute_used_twice", t -> t[0].permute(2, 0, 1).mul(t[0].permute(2, 0, 1)), normal(2, 3, 4)).parityTol(0),
                of("transpose_reshape", t -> t[0].transpose(0, 2).reshape(4, 6), normal(2, 3, 4)).covers(Tensor.class, "reshape").parityTol(0),
                of("view", t -> t[0].view(4, 6).mul(t[0].view(4, 6)), normal(2, 3, 4)).covers(Tensor.class, "view").parityTol(0),
                of("narrow", t -> t[0].narrow(1, 1, 2), normal(2, 3, 4)).covers(Tensor.class, "narrow").parityTol(0),
                of("slice_step_narrow", t -> t[0].slice(1, 1, 12, 3).narrow(0, 2, 5).contiguous(), normal(9, 13)).covers(Tensor.class, "slice").parityTol(0),
                of("select_negative", t -> t[0].select(1, -1), normal(2, 3, 4)).covers(Tensor.class, "select").parityTol(0),
                of("expand", t -> t[0].narrow(1, 0, 1).expand(2, 5, 4), normal(2, 3, 4)).covers(Tensor.class, "expand").parityTol(0),
                of("unsqueeze_squeeze", t -> t[0].unsqueeze(1).mul(2).squeeze(1), normal(2, 3, 4)).covers(Tensor.class, "unsqueeze", "squeeze").parityTol(0),
                of("flatten_dims", t -> t[0].permute(1, 0, 2).flatten(0, 1), normal(2, 3, 4)).covers(Tensor.class, "flatten").parityTol(0),
                of("flatten_all", t -> t[0].mT().flatten(), normal(2, 3, 4)).parityTol(0),
                of("copy", t -> t[0].mT().copy().mul(t[0].mT()), normal(5, 6)).covers(Tensor.class, "copy").parityTol(0),
                // On CUDA a round trip through the host and back, both directions with their backward.
                of("to_cpu_and_back", t -> t[0].to(Device.CPU).exp().to(t[0].device()), normal(6, 7)).covers(Tensor.class, "to"),
                // Conversions and the float64/int64 kernels (the GPU tests run float32 otherwise).
                of("to_float64_and_int64", t -> t[0].to(DType.F64).mul(t[1].to(DType.F64)).sum(1, false).to(t[0].dtype()),
                        normal(7, 5), index(1000, 7, 5)).parityTol(0));
    }

    static List<OpCase> elementwise() {
        return List.of(
                of("add_broadcast", t -> t[0].add(t[1]), normal(3, 1, 5), normal(4, 1)).covers(Tensor.class, "add").parityTol(0),
                of("sub_broadcast", t -> t[0].sub(t[1]), normal(3, 1, 5), normal(4, 1)).covers(Tensor.class, "sub").parityTol(0),
                of("mul_broadcast", t -> t[0].mul(t[1]), normal(3, 1, 5), normal(4, 1)).covers(Tensor.class, "mul").parityTol(0),
                of("div_broadcast", t -> t[0].div(t[1]), normal(3, 1, 5), positive(4, 1)).covers(Tensor.class, "div"),
                of("maximum_broadcast", t -> t[0].maximum(t[1]), normal(6, 7), normal(7)).covers(Tensor.class, "maximum").parityTol(0),
                of("minimum_broadcast", t -> t[0].minimum(t[1]), normal(6, 7), normal(7)).covers(Tensor.class, "minimum").parityTol(0),
                of("scalar_arithmetic", t -> t[0].add(2).mul(-3).sub(1).div(4), normal(3, 4)).parityTol(0),
                of("add_mul_vectorised", t -> t[0].add(t[1]).mul(t[1]), normal(4096), normal(4096)).parityTol(0),
                of("neg", t -> t[0].neg(), normal(4, 7)).covers(Tensor.class, "neg").parityTol(0),
                of("exp", t -> t[0].exp(), normal(1031)).covers(Tensor.class, "exp"),
                of("exp_transposed_view", t -> t[0].mT().exp(), normal(6, 10)),
                of("log", t -> t[0].log(), positive(1031)).covers(Tensor.class, "log"),
                of("sqrt", t -> t[0].sqrt(), positive(7, 11)).covers(Tensor.class, "sqrt"),
                of("rsqrt", t -> t[0].rsqrt(), positive(7, 11)).covers(Tensor.class, "rsqrt"),
                of("abs", t -> t[0].abs(), normal(4, 7)).covers(Tensor.class, "abs").parityTol(0),
                of("pow_integer", t -> t[0].pow(3), normal(4, 7)).covers(Tensor.class, "pow"),
                of("pow_fractional", t -> t[0].pow(1.7), positive(5, 9)),
                of("square", t -> t[0].square(), normal(5, 9)).covers(Tensor.class, "square").parityTol(0),
                of("clamp", t -> t[0].clamp(-0.5, 0.7), normal(5, 9)).covers(Tensor.class, "clamp").parityTol(0),
                of("clamp_min", t -> t[0].clampMin(0.2), normal(5, 9)).covers(Tensor.class, "clampMin").parityTol(0),
                // F's activations and Tensor's are the same op (Elementwise); the inputs are scaled into their curved range.
                of("relu", t -> F.relu(t[0]), normal(4, 257)).covers(F.class, "relu").covers(Tensor.class, "relu").parityTol(0),
                of("gelu", t -> F.gelu(t[0].mul(3)), normal(4, 257)).covers(F.class, "gelu").covers(Tensor.class, "gelu"),
                of("tanh", t -> F.tanh(t[0].mul(3)), normal(4, 257)).covers(F.class, "tanh").covers(Tensor.class, "tanh"),
                of("sigmoid", t -> F.sigmoid(t[0].mul(3)), normal(4, 257)).covers(F.class, "sigmoid").covers(Tensor.class, "sigmoid"),
                // A linear layer's bias fused into its GELU (BERT's FFN); 33 columns: not a multiple of a warp.
                of("bias_gelu", t -> F.biasGelu(t[0].mul(2), t[1]), normal(3, 5, 33), normal(33)).covers(F.class, "biasGelu"),
                of("where", t -> F.where(t[0], t[1], t[2]), mask(2, 3), normal(2, 3), normal(1, 3)).covers(F.class, "where").parityTol(0),
                of("where_gt", t -> F.where(t[0].gt(t[1]), t[0], t[1].mul(3)), normal(5, 6), normal(5, 6)).covers(Tensor.class, "gt").parityTol(0),
                of("where_lt", t -> F.where(t[0].lt(t[1]), t[0], t[1].mul(3)), normal(5, 6), normal(6)).covers(Tensor.class, "lt").parityTol(0),
                // eq against maximum(a, b) is true exactly where a >= b: both values occur.
                of("where_eq", t -> F.where(t[0].eq(t[0].maximum(t[1])), t[0].mul(2), t[1]), normal(5, 6), normal(5, 6)).covers(Tensor.class, "eq").parityTol(0),
                of("masked_fill", t -> F.maskedFill(t[0], t[1], -2), normal(4, 5), mask(4, 5)).covers(F.class, "maskedFill").parityTol(0));
    }

    static List<OpCase> reductions() {
        return List.of(
                of("sum_dim", t -> t[0].sum(1, false), normal(3, 5, 4)).covers(Tensor.class, "sum"),
                of("sum_last", t -> t[0].sum(-1, false), normal(7, 300)),
                of("sum_middle_keepdim", t -> t[0].sum(1, true), normal(4, 33, 9)),
                // 100003 float32 additions in another order (a tree on the GPU): ~1e-6 relative is round-off.
                of("sum_all", t -> t[0].sum(), normal(100003)).parityTol(1e-5),
                of("sum_all_two_stage", t -> t[0].sum(), normal(4, 65536)).parityTol(1e-5),
                of("sum_all_two_stage_tail", t -> t[0].sum(), normal(3, 100003)).parityTol(1e-5),
                of("mean_dim", t -> t[0].mean(0, false), normal(6, 17)).covers(Tensor.class, "mean"),
                of("mean_all", t -> t[0].mean(), normal(6, 17)),
                outputs("max_dim", t -> {
                    var m = t[0].max(-1, false);
                    return List.of(m.values(), m.indices());
                }, normal(5, 29)).covers(Tensor.class, "max").parityTol(0),
                of("max_all", t -> t[0].max(), normal(6, 17)).parityTol(0),
                of("min_dim0", t -> t[0].min(0, false).values(), normal(13, 4)).covers(Tensor.class, "min").parityTol(0),
                of("min_keepdim", t -> t[0].min(2, true).values(), normal(3, 5, 4)).parityTol(0),
                of("var_unbiased", t -> t[0].var(1, true, false), normal(6, 17)).covers(Tensor.class, "var"),
                of("var_biased_keepdim", t -> t[0].var(2, false, true), normal(3, 5, 4)));
    }

    static List<OpCase> linearAlgebra() {
        return List.of(
                of("matmul_2d", t -> F.matmul(t[0], t[1]), normal(33, 65), normal(65, 17)).covers(F.class, "matmul").covers(Tensor.class, "matmul").parityTol(1e-5),
                of("matmul_batched", t -> t[0].matmul(t[1]), normal(3, 2, 9, 31), normal(3, 2, 31, 12)).parityTol(1e-5),
                of("matmul_broadcast_batch", t -> t[0].matmul(t[1]), normal(2, 1, 3, 4), normal(3, 4, 5)).parityTol(1e-5),
                of("matmul_broadcast_matrix", t -> t[0].matmul(t[1]), normal(5, 8, 16), normal(16, 7)).parityTol(1e-5),
                of("matmul_transposed_views", t -> t[0].mT().matmul(t[1].mT()), normal(4, 20, 9), normal(4, 11, 20)).parityTol(1e-5),
                of("matmul_vector_matrix", t -> t[0].matmul(t[1]), normal(4), normal(4, 3)).parityTol(1e-5),
                of("matmul_matrix_vector", t -> t[0].matmul(t[1]), normal(4, 3), normal(3)).parityTol(1e-5),
                of("linear", t -> F.linear(t[0], t[1], t[2]), normal(2, 5, 16), normal(12, 16), normal(12)).covers(F.class, "linear").parityTol(1e-5),
                of("linear_no_bias", t -> F.linear(t[0], t[1], null), normal(3, 6), normal(4, 6)).parityTol(1e-5));
    }

    static List<OpCase> convolution() {
        return List.of(
                of("conv2d_stride1_pad1", t -> F.conv2d(t[0], t[1], t[2], 1, 1), normal(2, 3, 9, 11), normal(8, 3, 3, 3), normal(8))
                        .covers(F.class, "conv2d").parityTol(1e-5),
                of("conv2d_stride2_pad1", t -> F.conv2d(t[0], t[1], t[2], 2, 1), normal(2, 4, 10, 9), normal(5, 4, 3, 3), normal(5)).parityTol(1e-5),
                of("conv2d_stride2_pad0", t -> F.conv2d(t[0], t[1], t[2], 2, 0), normal(2, 3, 7, 6), normal(4, 3, 3, 3), normal(4)).parityTol(1e-5),
                of("conv2d_stride2x1_pad0x1_no_bias", t -> F.conv2d(t[0], t[1], null, new int[]{2, 1}, new int[]{0, 1}),
                        normal(2, 3, 8, 7), normal(4, 3, 3, 2)).parityTol(1e-5),
                of("max_pool2d_k2s2", t -> F.maxPool2d(t[0], 2, 2), normal(2, 3, 8, 9)).covers(F.class, "maxPool2d").parityTol(0),
                of("max_pool2d_k3s2p1", t -> F.maxPool2d(t[0], 3, 2, 1), normal(2, 3, 9, 9)).parityTol(0),
                of("avg_pool2d_k3s2p1", t -> F.avgPool2d(t[0], 3, 2, 1), normal(2, 3, 9, 8)).covers(F.class, "avgPool2d"),
                of("adaptive_avg_pool2d", t -> F.adaptiveAvgPool2d(t[0], 3, 4), normal(2, 3, 10, 7)).covers(F.class, "adaptiveAvgPool2d"),
                of("adaptive_avg_pool2d_uneven", t -> F.adaptiveAvgPool2d(t[0], 3, 5), normal(2, 3, 7, 8)));
    }

    static List<OpCase> rows() {
        return List.of(
                of("softmax_last", t -> F.softmax(t[0].mul(4), -1), normal(6, 771)).covers(F.class, "softmax"),
                of("softmax_dim1", t -> F.softmax(t[0].mul(4), 1), normal(3, 10, 5)),
                of("softmax_dim0", t -> F.softmax(t[0], 0), normal(3, 4, 5)),
                of("softmax_long_rows", t -> F.softmax(t[0].mul(4), -1), normal(3, 3000)),
                of("log_softmax", t -> F.logSoftmax(t[0].mul(4), -1), normal(9, 33)).covers(F.class, "logSoftmax"),
                of("log_softmax_dim2", t -> F.logSoftmax(t[0], 2), normal(3, 4, 5)),
                of("layer_norm", t -> F.layerNorm(t[0], t[1], t[2], 1e-12), normal(2, 7, 768), normal(768), normal(768))
                        .covers(F.class, "layerNorm").parityTol(1e-5),
                of("layer_norm_wide_rows", t -> F.layerNorm(t[0], t[1], t[2], 1e-5), normal(5, 1500), normal(1500), normal(1500)).parityTol(1e-5),
                of("layer_norm_many_rows", t -> F.layerNorm(t[0], t[1], t[2], 1e-5), normal(1000, 96), normal(96), normal(96)).parityTol(1e-5),
                of("layer_norm_no_affine", t -> F.layerNorm(t[0], null, null, 1e-5), normal(3, 4, 5)).parityTol(1e-5),
                of("normalize", t -> F.normalize(t[0], 1, 1e-12), normal(3, 4, 5)).covers(F.class, "normalize"));
    }

    static List<OpCase> indexing() {
        return List.of(
                // 36 ids from 30 rows: some repeat, so the backward must accumulate.
                of("embedding", t -> F.embedding(t[0], t[1]), index(30, 4, 9), normal(30, 16)).covers(F.class, "embedding"),
                of("gather", t -> F.gather(t[0], 1, t[1]), normal(5, 8), index(8, 5, 3)).covers(F.class, "gather"),
                of("index_select_dim0", t -> F.indexSelect(t[0], 0, t[1]), normal(3, 4), index(3, 5)).covers(F.class, "indexSelect"),
                of("index_select_dim1", t -> F.indexSelect(t[0], 1, t[1]), normal(4, 9, 3), index(9, 6)),
                of("cat", t -> F.cat(List.of(t[0], t[1].exp(), t[0]), 1), normal(3, 4), normal(3, 5)).covers(F.class, "cat"),
                of("stack", t -> F.stack(List.of(t[0], t[1]), 1), normal(2, 3), normal(2, 3)).covers(F.class, "stack").parityTol(0),
                // Chunks of 2 along dim 1 of size 5: the last is smaller.
                outputs("split", t -> F.split(t[0], 2, 1), normal(2, 5)).covers(F.class, "split").parityTol(0));
    }

    static List<OpCase> lossesAndDropout() {
        return List.of(
                of("cross_entropy_ignore", t -> F.crossEntropy(t[0].mul(2), t[1], -1, Losses.Reduction.MEAN), normal(6, 11), target(11, -1, 6))
                        .covers(F.class, "crossEntropy"),
                of("cross_entropy_sum", t -> F.crossEntropy(t[0], t[1], -1, Losses.Reduction.SUM), normal(5, 6), target(6, -1, 5)),
                // The two-argument form: ignore index -100 (the first target is -100).
                of("cross_entropy_default", t -> F.crossEntropy(t[0], t[1]), normal(5, 6), target(6, -100, 5)),
                // More classes than a block has threads: the fused kernel's rows take several passes; a 3000-term sum.
                of("cross_entropy_wide", t -> F.crossEntropy(t[0].mul(3), t[1]), normal(5, 3000), target(3000, -100, 5)).parityTol(1e-5),
                // A fresh generator per evaluation: every finite difference (and both devices) sees the same mask.
                of("dropout", t -> F.dropout(t[0], 0.3, true, new Generator(99)), normal(5, 6)).covers(F.class, "dropout").parityTol(0),
                of("dropout_eval", t -> F.dropout(t[0], 0.3, false, null), normal(5, 6)).parityTol(0),
                // BERT's residual paths: bias, dropout (the mask Dropout draws) and the residual add in one op.
                of("bias_dropout_add", t -> F.biasDropoutAdd(t[0], t[1], t[2], 0.3, true, new Generator(17)),
                        normal(4, 7, 40), normal(40), normal(4, 7, 40)).covers(F.class, "biasDropoutAdd").parityTol(0),
                of("bias_dropout_add_eval", t -> F.biasDropoutAdd(t[0], t[1], t[2], 0.3, false, null), normal(3, 20), normal(20), normal(3, 20)).parityTol(0),
                of("bias_dropout_add_all_dropped", t -> F.biasDropoutAdd(t[0], t[1], t[2], 1, true, null), normal(3, 20), normal(20), normal(3, 20)).parityTol(0));
    }

    static List<OpCase> attention() {
        return List.of(
                of("attention", t -> F.attention(t[0], t[1], t[2], null, -10000), normal(2, 3, 7, 16), normal(2, 3, 9, 16), normal(2, 3, 9, 16))
                        .covers(F.class, "attention").parityTol(1e-5),
                of("attention_mask", t -> F.attention(t[0], t[1], t[2], t[3], -10000),
                        normal(2, 3, 4, 5), normal(2, 3, 6, 5), normal(2, 3, 6, 5), mask(2, 6)).parityTol(1e-5),
                of("attention_mask_dropout", t -> F.attention(t[0], t[1], t[2], t[3], -10000, 0.3, true, new Generator(21)),
                        normal(2, 3, 4, 5), normal(2, 3, 6, 5), normal(2, 3, 6, 5), mask(2, 6)).parityTol(1e-5),
                // Head dims 64 and 96 take the fused kernels on CUDA; 37 and 45 rows are not multiples of a tile.
                of("attention_d64_cross_mask", t -> F.attention(t[0], t[1], t[2], t[3], -10000),
                        normal(2, 3, 37, 64), normal(2, 3, 45, 64), normal(2, 3, 45, 64), mask(2, 45)).parityTol(1e-5),
                of("attention_d64_mask_dropout", t -> F.attention(t[0], t[1], t[2], t[3], -10000, 0.1, true, new Generator(5)),
                        normal(2, 2, 33, 64), normal(2, 2, 40, 64), normal(2, 2, 40, 64), mask(2, 40)).parityTol(1e-5),
                of("attention_d96_self", t -> F.attention(t[0], t[1], t[2], null, -10000),
                        normal(2, 2, 33, 96), normal(2, 2, 33, 96), normal(2, 2, 33, 96)).parityTol(1e-5));
    }
}
