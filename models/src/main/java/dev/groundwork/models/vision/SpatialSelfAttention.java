package dev.groundwork.models.vision;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * One post-LN transformer layer over the grid cells (spec 1.3-1.4), input and output [B, D, h, w]:
 * <pre>
 *   X = cells of the input, row-major, channel-last       [B, R, D]
 *   A = X + P                                              (learned table, position r = y*w + x)
 *   Z = LayerNorm(dropout(dense(MHA(A))) + X)              residual is X, not A: P only reaches Q, K, V
 *   Out = full_layernorm(dropout(ffn_output(relu(ffn(Z)))) + Z)
 * </pre>
 * No dropout on the attention probabilities (the original has none), so the fused attention op serves.
 * Names: {@code query, key, value, dense, LayerNorm, ffn, ffn_output, full_layernorm, position_embeddings}.
 * Only the {@code learn} position mode is ported (spec 9.23), hence R is fixed to feature_map_size.
 */
public final class SpatialSelfAttention extends Module implements UnaryModule {
    private final int dim, heads, positions;

    public SpatialSelfAttention(VisualConfig c, Generator gen) {
        this.dim = c.embeddingDim();
        this.heads = c.numHeads();
        this.positions = c.featureMapSize();
        registerModule("query", new Linear(dim, dim, gen));
        registerModule("key", new Linear(dim, dim, gen));
        registerModule("value", new Linear(dim, dim, gen));
        registerModule("dense", new Linear(dim, dim, gen));
        registerModule("LayerNorm", new LayerNorm(dim, c.layerNormEps(), true));
        registerModule("ffn", new Linear(dim, c.intermediateSize(), gen));
        registerModule("ffn_output", new Linear(c.intermediateSize(), dim, gen));
        registerModule("full_layernorm", new LayerNorm(dim, c.layerNormEps(), true));
        registerModule("position_embeddings", new Embedding(positions, dim, gen)); // N(0, 1), torch's default
        registerModule("dropout", new Dropout(c.dropout(), gen));
    }

    @Override
    public Tensor forward(Tensor grid) {
        if (grid.dim() != 4 || grid.size(1) != dim)
            throw new IllegalArgumentException("SpatialSelfAttention expects [B, " + dim + ", h, w], got " + Arrays.toString(grid.shape()));
        int b = grid.size(0), h = grid.size(2), w = grid.size(3), r = h * w;
        if (r != positions)
            throw new IllegalArgumentException("the learned position table covers " + positions + " cells but the grid is "
                    + h + "x" + w + " (the 'learn' table fixes the input size, spec 1.4)");
        Tensor x = grid.permute(0, 2, 3, 1).reshape(b, r, dim);
        Tensor a = x.add(((Embedding) submodule("position_embeddings")).weight());
        Tensor ctx = F.attention(split(lin("query").forward(a), b, r), split(lin("key").forward(a), b, r),
                split(lin("value").forward(a), b, r), null, 0).transpose(1, 2).reshape(b, r, dim);
        Dropout drop = (Dropout) submodule("dropout");
        Tensor z = norm("LayerNorm").forward(drop.forward(lin("dense").forward(ctx)).add(x));
        Tensor f = lin("ffn_output").forward(F.relu(lin("ffn").forward(z)));
        Tensor out = norm("full_layernorm").forward(drop.forward(f).add(z));
        return out.reshape(b, h, w, dim).permute(0, 3, 1, 2);
    }

    private Tensor split(Tensor y, int b, int r) { return y.view(b, r, heads, dim / heads).transpose(1, 2); }

    private Linear lin(String name) { return (Linear) submodule(name); }

    private LayerNorm norm(String name) { return (LayerNorm) submodule(name); }
}
