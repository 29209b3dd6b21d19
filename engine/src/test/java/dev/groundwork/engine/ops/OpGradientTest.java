package dev.groundwork.engine.ops;

import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.groundwork.engine.testing.GradCheck.check;
import static dev.groundwork.engine.testing.GradCheck.inputs;

/** Finite-difference (float64) checks of every op's backward. */
class OpGradientTest {
    private static int[] s(int... d) { return d; }

    @Test void broadcastingArithmetic() {
        Tensor[] x = inputs(1, s(3, 1, 4), s(2, 4));
        check("add", t -> t[0].add(t[1]), x);
        check("sub", t -> t[0].sub(t[1]), x);
        check("mul", t -> t[0].mul(t[1]), x);
        check("div", t -> t[0].div(t[1].abs().add(0.5)), x);
        check("maximum", t -> t[0].maximum(t[1]), x);
        check("minimum", t -> t[0].minimum(t[1]), x);
        check("scalar", t -> t[0].add(2).mul(-3).sub(1).div(4), x[0]);
    }

    @Test void unaryMaps() {
        Tensor[] x = inputs(2, s(4, 7));
        check("neg", t -> t[0].neg(), x);
        check("exp", t -> t[0].exp(), x);
        check("log", t -> t[0].abs().add(0.3).log(), x);
        check("sqrt", t -> t[0].abs().add(0.3).sqrt(), x);
        check("rsqrt", t -> t[0].abs().add(0.3).rsqrt(), x);
        check("abs", t -> t[0].abs(), x);
        check("pow3", t -> t[0].pow(3), x);
        check("pow2.5", t -> t[0].abs().add(0.3).pow(2.5), x);
        check("square", t -> t[0].square(), x);
        check("clamp", t -> t[0].clamp(-0.5, 0.7), x);
        check("relu", t -> t[0].relu(), x);
        check("gelu", t -> t[0].gelu(), x);
        check("tanh", t -> t[0].tanh(), x);
        check("sigmoid", t -> t[0].sigmoid(), x);
    }

    @Test void reductions() {
        Tensor[] x = inputs(3, s(3, 5, 4));
        check("sum dim", t -> t[0].sum(1, false), x);
        check("sum keep", t -> t[0].sum(-1, true), x);
        check("sum all", t -> t[0].sum(), x);
        check("mean", t -> t[0].mean(0, false), x);
        check("max", t -> t[0].max(1, false).values(), x);
        check("min", t -> t[0].min(2, true).values(), x);
        check("var unbiased", t -> t[0].var(1, true, false), x);
        check("var biased", t -> t[0].var(2, false, true), x);
    }

    @Test void matmulAndLinear() {
        Tensor[] x = inputs(4, s(2, 1, 3, 4), s(3, 4, 5));
        check("matmul broadcast batch", t -> t[0].matmul(t[1]), x);
        Tensor[] y = inputs(5, s(4, 3), s(5, 4));
        check("matmul transposed views", t -> t[0].mT().matmul(t[1].mT()), y);
        Tensor[] v = inputs(6, s(4), s(4, 3), s(3));
        check("vector @ matrix", t -> t[0].matmul(t[1]), v[0], v[1]);
        check("matrix @ vector", t -> t[0].matmul(t[1]), v[1], v[2]);
        Tensor[] l = inputs(7, s(2, 3, 6), s(4, 6), s(4));
        check("linear", t -> F.linear(t[0], t[1], t[2]), l);
    }

    @Test void convolutionAndPooling() {
        Tensor[] c = inputs(8, s(2, 3, 7, 6), s(4, 3, 3, 3), s(4));
        check("conv2d s1 p1", t -> F.conv2d(t[0], t[1], t[2], 1, 1), c);
        check("conv2d s2 p0", t -> F.conv2d(t[0], t[1], t[2], 2, 0), c);
        Tensor[] p = inputs(9, s(2, 3, 7, 8));
        check("max_pool2d k2s2", t -> F.maxPool2d(t[0], 2, 2), p);
        check("max_pool2d k3s2p1", t -> F.maxPool2d(t[0], 3, 2, 1), p);
        check("avg_pool2d", t -> F.avgPool2d(t[0], 3, 2, 1), p);
        check("adaptive_avg_pool2d", t -> F.adaptiveAvgPool2d(t[0], 3, 5), p);
    }

    @Test void normalisation() {
        Tensor[] x = inputs(10, s(3, 4, 5), s(5), s(5));
        check("softmax", t -> F.softmax(t[0], 1), x[0]);
        check("softmax last", t -> F.softmax(t[0], -1), x[0]);
        check("log_softmax", t -> F.logSoftmax(t[0], 2), x[0]);
        check("layer_norm", t -> F.layerNorm(t[0], t[1], t[2], 1e-5), x);
        check("layer_norm no affine", t -> F.layerNorm(t[0], null, null, 1e-5), x[0]);
        check("normalize", t -> F.normalize(t[0], 2, 1e-12), x[0]);
    }

    @Test void indexing() {
        Tensor ids = Tensor.ofLongs(new long[]{3, 1, 3, 0, 7, 1}, 2, 3);
        Tensor[] w = inputs(11, s(8, 5));
        check("embedding", t -> F.embedding(ids, t[0]), w);
        Tensor idx = Tensor.ofLongs(new long[]{2, 0, 2, 1, 1, 0}, 3, 2);
        Tensor[] g = inputs(12, s(3, 4));
        check("gather", t -> F.gather(t[0], 1, idx), g);
        check("index_select", t -> F.indexSelect(t[0], 0, Tensor.ofLongs(new long[]{2, 2, 0}, 3)), g);
        Tensor[] c = inputs(13, s(2, 3), s(2, 5), s(2, 3));
        check("cat", t -> F.cat(List.of(t[0], t[1]), 1), c[0], c[1]);
        check("stack", t -> F.stack(List.of(t[0], t[1]), 1), c[0], c[2]);
        check("split", t -> F.split(t[0], 2, 1).get(2).mul(F.split(t[0], 2, 1).get(0)), c[1]);
        Tensor cond = Tensor.of(new float[]{1, 0, 1, 0, 0, 1}, 2, 3);
        check("where", t -> F.where(cond, t[0], t[1]), c[0], c[2]);
        check("masked_fill", t -> F.maskedFill(t[0], cond, -2), c[0]);
    }

    @Test void views() {
        Tensor[] x = inputs(14, s(2, 3, 4));
        check("permute", t -> t[0].permute(2, 0, 1).mul(t[0].permute(2, 0, 1)), x);
        check("transpose+reshape", t -> t[0].transpose(0, 2).reshape(4, 6), x);
        check("narrow", t -> t[0].narrow(1, 1, 2), x);
        check("slice step", t -> t[0].slice(2, 0, 4, 3), x);
        check("select", t -> t[0].select(1, -1), x);
        check("expand", t -> t[0].narrow(1, 0, 1).expand(2, 5, 4), x);
        check("unsqueeze/squeeze", t -> t[0].unsqueeze(1).mul(2).squeeze(1), x);
        check("contiguous", t -> t[0].mT().contiguous(), x);
        check("flatten", t -> t[0].permute(1, 0, 2).flatten(0, 1), x);
    }

    @Test void lossesAndDropout() {
        Tensor target = Tensor.ofLongs(new long[]{2, -1, 0, 4, 4}, 5);
        Tensor[] x = inputs(15, s(5, 6));
        check("cross_entropy mean ignore", t -> F.crossEntropy(t[0], target, -1, Losses.Reduction.MEAN), x);
        check("cross_entropy sum", t -> F.crossEntropy(t[0], target, -1, Losses.Reduction.SUM), x);
        check("dropout", t -> F.dropout(t[0], 0.3, true, new Generator(99)), x);
    }

    @Test void missionOps() {
        Tensor[] qkv = inputs(16, s(2, 3, 4, 5), s(2, 3, 6, 5), s(2, 3, 6, 5));
        Tensor mask = Tensor.of(new float[]{1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1}, 2, 6).to(DType.F64);
        check("attention masked cross", t -> F.attention(t[0], t[1], t[2], mask, -10000), qkv);
        // A fresh generator per evaluation: every finite difference sees the same dropout mask.
        check("attention dropout", t -> F.attention(t[0], t[1], t[2], mask, -10000, 0.3, true, new Generator(21)), qkv);
        Tensor[] br = inputs(17, s(2, 4, 3), s(5, 3, 3));
        check("bilinear_relation", t -> VgBertOps.bilinearRelation(t[0], t[1]), br);
        Tensor nwords = Tensor.ofLongs(new long[]{2, 0, 5, 3}, 4);
        Tensor[] mm = inputs(18, s(4, 6, 2, 3), s(4, 4, 6));
        check("matchmap i2l+l2i", t -> {
            Tensor[] l = VgBertOps.matchmapContrastive(t[0], t[1], nwords, 0.5);
            return l[0].add(l[1].mul(2));
        }, mm);
        Tensor[] pc = inputs(19, s(5, 7), s(5, 7));
        check("pooled contrastive", t -> {
            Tensor[] l = VgBertOps.pooledContrastive(t[0], t[1], 0.1);
            return l[0].mul(3).add(l[1]);
        }, pc);
    }
}
