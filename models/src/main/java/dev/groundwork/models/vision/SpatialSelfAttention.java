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
    private final Linear query, key, value, dense, ffn, ffnOutput;
    private final LayerNorm layerNorm, fullLayernorm;
    private final Embedding positionEmbeddings;
    private final Dropout dropout;

    public SpatialSelfAttention(VisualConfig c, Generator gen) {
        this.dim = c.embeddingDim();
        this.heads = c.numHeads();
        this.positions = c.featureMapSize();
        this.query = registerModule("query", new Linear(dim, dim, gen));
        this.key = registerModule("key", new Linear(dim, dim, gen));
        this.value = registerModule("value", new Linear(dim, dim, gen));
        this.dense = registerModule("dense", new Linear(dim, dim, gen));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(dim, c.layerNormEps(), true));
        this.ffn = registerModule("ffn", new Linear(dim, c.intermediateSize(), gen));
        this.ffnOutput = registerModule("ffn_output", new Linear(c.intermediateSize(), dim, gen));
        this.fullLayernorm = registerModule("full_layernorm", new LayerNorm(dim, c.layerNormEps(), true));
        this.positionEmbeddings = registerModule("position_embeddings", new Embedding(positions, dim, gen)); // N(0, 1), torch's default
        this.dropout = registerModule("dropout", new Dropout(c.dropout(), gen));
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
        Tensor a = x.add(positionEmbeddings.weight());
        Tensor ctx = F.attention(split(query.forward(a), b, r), split(key.forward(a), b, r),
                split(value.forward(a), b, r), null, 0).transpose(1, 2).reshape(b, r, dim);
        Tensor z = layerNorm.forward(dropout.forward(dense.forward(ctx)).add(x));
        Tensor f = ffnOutput.forward(F.relu(ffn.forward(z)));
        Tensor out = fullLayernorm.forward(dropout.forward(f).add(z));
        return out.reshape(b, h, w, dim).permute(0, 3, 1, 2);
    }

    private Tensor split(Tensor y, int b, int r) { return y.view(b, r, heads, dim / heads).transpose(1, 2); }
}
