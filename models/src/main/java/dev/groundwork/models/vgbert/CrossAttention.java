package dev.groundwork.models.vgbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.nn.Init;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Stage-3 cross-modal attention and bilinear relation operator (spec 4.2-4.3).
 * <pre>
 *   X = visual cells, row-major, channel-last [B,R,D];  Y = object phrases [B,O,D]
 *   Q = Y W_Q (no bias), K = X W_K (no bias), V = X W_V + b_V, split into h heads
 *   g = concat_h softmax_r(q k^T / sqrt(d_h)) v        [B,O,D]   (no output projection/residual/LN)
 *   z = object_transform(g)                            [B,O,S]
 *   M^ = M / max(||M||_F, 1e-12) per relation; dropout(M^) in training only (spec 9.15)
 *   P[b,k,i,j] = z_bi M^_k z_bj                        [B,K,O,O]
 * </pre>
 * Names: {@code key_visual, value_visual, query_language, object_transform, relational_matrix}.
 */
public final class CrossAttention extends Module {
    /** query_language [B,O,D], key_visual [B,D,h,w], object_representation g [B,O,D],
     *  relation_prediction [B,K,O,O], normalized_relational_matrix M^ [K,S,S] (before dropout). */
    public record Output(Tensor queryLanguage, Tensor keyVisual, Tensor objectRepresentation,
                         Tensor relationPrediction, Tensor normalizedRelationalMatrix) {}

    private final int dim, heads, subspace, relations;
    private final double dropout;
    private final Generator gen;
    private final Linear keyVisual, valueVisual, queryLanguage, objectTransform;

    /**
     * @param dim       D (768)
     * @param heads     h (8, --num-heads)
     * @param subspace  d_s (32, --subspace-dim)
     * @param relations K (115, --relation-num, class 0 included: spec 9.12)
     * @param dropout   on M^ (--dropout-rate, 0.1)
     */
    public CrossAttention(int dim, int heads, int subspace, int relations, double dropout, Generator gen) {
        if (dim % heads != 0) throw new IllegalArgumentException("embedding dim " + dim + " is not a multiple of " + heads + " heads");
        this.dim = dim;
        this.heads = heads;
        this.subspace = subspace;
        this.relations = relations;
        this.dropout = dropout;
        this.gen = gen;
        this.keyVisual = registerModule("key_visual", new Linear(dim, dim, false, gen));
        this.valueVisual = registerModule("value_visual", new Linear(dim, dim, true, gen));
        this.queryLanguage = registerModule("query_language", new Linear(dim, dim, false, gen));
        this.objectTransform = registerModule("object_transform", new Linear(dim, subspace, true, gen));
        Tensor m = registerParameter("relational_matrix", Tensor.empty(DType.F32, Device.CPU, relations, subspace, subspace));
        // torch's fan rule on a 3-D tensor: fan_in = S*S, fan_out = K*S (spec 4.3: bound sqrt(6/4704) at 115x32x32).
        try (var s = GradMode.noGrad()) {
            Init.xavierUniform_(m, 1.0, gen);
        }
    }

    /**
     * @param visual     [B, D, h, w], the visual stream's output
     * @param language   [B, O, D], pooled object phrases (zero rows for padded objects)
     * @param objectMask [B, O], 1 real / 0 padded object, or null. The original adds (1 - mask) * -10000
     *                   across each query's row, a constant over the softmax axis, so it changes nothing
     *                   (spec 9.9, reproduced): padded objects attend uniformly and no loss reads them.
     *                   It is therefore only shape-checked; adding -10000 in fp32 would just cost precision.
     */
    public Output forward(Tensor visual, Tensor language, Tensor objectMask) {
        if (visual.dim() != 4 || visual.size(1) != dim)
            throw new IllegalArgumentException("visual must be [B, " + dim + ", h, w], got " + Arrays.toString(visual.shape()));
        int b = visual.size(0), h = visual.size(2), w = visual.size(3), r = h * w;
        if (language.dim() != 3 || language.size(0) != b || language.size(2) != dim)
            throw new IllegalArgumentException("language must be [" + b + ", O, " + dim + "], got " + Arrays.toString(language.shape()));
        int o = language.size(1);
        if (objectMask != null && !Arrays.equals(objectMask.shape(), new int[]{b, o}))
            throw new IllegalArgumentException("object mask must be [" + b + ", " + o + "], got " + Arrays.toString(objectMask.shape()));

        Tensor x = visual.permute(0, 2, 3, 1).reshape(b, r, dim);
        Tensor q = queryLanguage.forward(language);
        Tensor k = keyVisual.forward(x);
        Tensor v = valueVisual.forward(x);
        Tensor g = F.attention(split(q, b, o), split(k, b, r), split(v, b, r), null, 0)
                .transpose(1, 2).reshape(b, o, dim);
        Tensor z = objectTransform.forward(g);

        Tensor m = param("relational_matrix");
        Tensor mHat = F.normalize(m.reshape(relations, subspace * subspace), 1, 1e-12).reshape(relations, subspace, subspace);
        Tensor scores = VgBertOps.bilinearRelation(z, F.dropout(mHat, dropout, isTraining(), gen));
        Tensor keyMap = k.reshape(b, h, w, dim).permute(0, 3, 1, 2);
        return new Output(q, keyMap, g, scores, mHat);
    }

    private Tensor split(Tensor y, int b, int t) { return y.view(b, t, heads, dim / heads).transpose(1, 2); }

    /** W_K, the visual keys' projection (the transfer model reuses it frozen). */
    public Linear keyVisual() { return keyVisual; }

    /** W_Q, the language queries' projection (the transfer model reuses it frozen). */
    public Linear queryLanguage() { return queryLanguage; }
}
