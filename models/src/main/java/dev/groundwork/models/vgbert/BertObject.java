package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;

/**
 * The language stream: a BertModel under the child name {@code language_model}, so that inside a
 * VG-BERT model its parameters are {@code language_model.language_model.*} as in the original
 * checkpoints (§2.1, §6.3). {@link #tokens} is {@code Bert_base} (stage 2, transfer: token level,
 * no pooling); {@link #forward} is {@code Bert_object} (stage 3: phrase pooling, §2.4). The original
 * has two wrapper classes with the same attribute name; one class with two entry points keeps the
 * names identical by construction.
 */
public final class BertObject extends Module {
    private final int hidden;
    private final BertModel bert;

    public BertObject(BertConfig config, Generator gen) {
        this.hidden = config.hiddenSize();
        this.bert = registerModule("language_model", new BertModel(config, gen));
    }

    public BertModel bert() { return bert; }

    /** Last hidden state [B,T,D] for ids/types/mask [B,T]; every slot, padding included (§2.3). */
    public Tensor tokens(Tensor ids, Tensor types, Tensor mask) {
        return bert.forward(ids, types, mask).lastHiddenState();
    }

    /**
     * Pooled phrases [B,O,D] from ids/types/mask [B,O,L] and the object mask [B,O]:
     * y = (1/L) Σ_t m_t H_t, times μ. Divided by L, not by the real-token count (§9.10, reproduced:
     * the stage-3 heads and the evaluation embeddings depend on that scale). Padded object slots still
     * run through BERT; its additive mask keeps them finite, and μ zeroes them afterwards.
     */
    public Tensor forward(Tensor ids, Tensor types, Tensor mask, Tensor objectMask) {
        int b = ids.size(0), o = ids.size(1), l = ids.size(2);
        Tensor h = tokens(ids.reshape(b * o, l), types.reshape(b * o, l), mask.reshape(b * o, l));
        Tensor m = mask.reshape(b * o, l, 1).to(h.dtype());
        Tensor y = h.mul(m).sum(1, false).div(l).reshape(b, o, hidden);
        return y.mul(objectMask.to(h.dtype()).reshape(b, o, 1));
    }
}
