package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Multi-head self-attention with HF's additive mask: (1 - attention_mask) * -10000 on the keys, and
 * dropout on the probabilities in training (spec 2.1), all in one {@link F#attention} node: the
 * CUDA backend runs it as one fused kernel that regenerates the dropout mask in its backward.
 */
public final class BertSelfAttention extends Module {
    /** transformers 4.2.1 (the VG-BERT stack) uses -10000, not finfo.min. */
    public static final double MASK_VALUE = -10000.0;

    private final int heads, headDim;
    private final double probDropout;
    private final Generator gen;
    private final Linear query, key, value;

    public BertSelfAttention(BertConfig c, Generator gen) {
        this.heads = c.numAttentionHeads();
        this.headDim = c.headDim();
        this.probDropout = c.attentionProbsDropoutProb();
        this.gen = gen;
        int h = c.hiddenSize();
        this.query = registerModule("query", new Linear(h, h, gen));
        this.key = registerModule("key", new Linear(h, h, gen));
        this.value = registerModule("value", new Linear(h, h, gen));
    }

    /**
     * @param x             [B, T, H]
     * @param attentionMask [B, T], 1 keep / 0 pad (any numeric dtype), or null
     * @return the concatenated heads, [B, T, H]
     */
    public Tensor forward(Tensor x, Tensor attentionMask) {
        int b = x.size(0), t = x.size(1);
        Tensor q = heads(query.forward(x), b, t);
        Tensor k = heads(key.forward(x), b, t);
        Tensor v = heads(value.forward(x), b, t);
        Tensor ctx = F.attention(q, k, v, attentionMask, MASK_VALUE, probDropout, isTraining(), gen);
        return ctx.transpose(1, 2).reshape(b, t, heads * headDim);
    }

    /** [B, T, H] -> [B, heads, T, d] (a view). */
    private Tensor heads(Tensor y, int b, int t) { return y.view(b, t, heads, headDim).transpose(1, 2); }
}
