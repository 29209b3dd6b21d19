package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertEmbeddings;
import dev.groundwork.models.bert.BertInit;

/**
 * {@code bert.*} of the original checkpoints (spec 1.1): {@code embeddings} (BERT's text embeddings),
 * {@code v_embeddings}, {@code encoder} (single-stream, then text-only and image-only stacks),
 * {@code t_pooler} and {@code v_pooler}, initialised as spec 1.6 says.
 */
public final class InterBertModel extends Module {
    /** The text-only and image-only outputs [B, L, H], [B, R, H] and the two pooled vectors [B, P]. */
    public record Output(Tensor sequenceOutputT, Tensor sequenceOutputV, Tensor pooledOutputT, Tensor pooledOutputV) {}

    private final InterBertConfig config;
    private final BertEmbeddings embeddings;
    private final ImageEmbeddings vEmbeddings;
    private final InterBertEncoder encoder;
    private final ReluPooler tPooler, vPooler;

    public InterBertModel(InterBertConfig config, Generator gen) {
        this.config = config;
        // No padding row. The original's nn.Embedding(padding_idx=0) keeps lookups of id 0 out of the row's
        // gradient, but the golden cases' reference gradients (golden/interbert) let that row learn, and they
        // are the contract here. Under the real losses the two agree exactly: padded tokens are masked keys
        // (weight exp(-10000) = 0) whose own outputs no loss reads. They differ only where MSM's 10% random
        // replacement draws id 0 at a real position, or where a probe reads padded positions, as the cases do.
        this.embeddings = registerModule("embeddings", new BertEmbeddings(config.textConfig(), null, gen));
        this.vEmbeddings = registerModule("v_embeddings", new ImageEmbeddings(config, gen));
        this.encoder = registerModule("encoder", new InterBertEncoder(config, gen));
        this.tPooler = registerModule("t_pooler", new ReluPooler(config.hiddenSize(), config.biHiddenSize(), gen));
        this.vPooler = registerModule("v_pooler", new ReluPooler(config.vHiddenSize(), config.biHiddenSize(), gen));
        // spec 1.6: N(0, initializer_range), biases 0, LayerNorm (1, 0); without a padding index no row is zeroed.
        BertInit.apply(this, config.initializerRange(), gen);
    }

    public InterBertConfig config() { return config; }

    public BertEmbeddings embeddings() { return embeddings; }

    public Output forward(InterBertInputs in) {
        return forwardEmbedded(embedText(in.inputIds(), in.tokenTypeIds()), embedImage(in.imageFeat(), in.imageLoc()), in.inputMask(), in.imageMask());
    }

    /** The text embeddings [B, L, H] of ids [B, L] (types null: all 0). */
    public Tensor embedText(Tensor inputIds, Tensor tokenTypeIds) { return embeddings.forward(inputIds, tokenTypeIds); }

    /** The image embeddings [B, R, H] of features [B, R, F] and locations [B, R, 5]. */
    public Tensor embedImage(Tensor imageFeat, Tensor imageLoc) { return vEmbeddings.forward(imageFeat, imageLoc); }

    /**
     * The rest of {@link #forward} from embeddings already computed: retrieval embeds each caption and each
     * image once (in eval mode, where embedding is deterministic) and pairs them in many forwards.
     */
    public Output forwardEmbedded(Tensor text, Tensor image, Tensor inputMask, Tensor imageMask) {
        InterBertEncoder.Output enc = encoder.forward(text, image, inputMask, imageMask);
        return new Output(enc.text(), enc.image(), tPooler.forward(enc.text()), vPooler.forward(enc.image()));
    }
}
