package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.ReLU;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StepOutput;
import dev.groundwork.models.vision.Vgg16Attention;

import java.util.Map;

/**
 * Retrieval transfer (§5.1-5.2), as intended rather than as committed (§9.2). Everything from stage 3
 * is frozen; only the two new 2-layer heads train ({@code image_projection_head.{0,3}},
 * {@code language_projection_head.{0,3}}, dropout 0.5 between). Frozen parts run dropout at
 * --dropout-rate since modules stay in train mode (§9.16).
 * <pre>
 *   E = BERT(ids, types = 1, real mask)          token level, no phrase pooling   (§9.3: the real mask, not the swapped one)
 *   Q = E W_Q;  K map = W_K X                    the frozen cross-attention's projections only
 *   ḡ = mean_cells head_img(K);  f̄ = mean over ALL T slots of head_lang(Q)       (§9.4: padding included, as the original;
 *                                                                                  the demo preset averages real tokens only)
 *   L = symmetric InfoNCE of cos(ḡ, f̄) / 0.1
 * </pre>
 * The cross-attention's attention output and relation scores are unused, so only its two projections run.
 */
public final class TransferModel extends Module implements StageTask<CaptionBatch> {
    private final VgBertConfig config;
    private final Generator gen;
    /** Training steps take their negatives from every rank of this group (null: the local batch). */
    private Communicator negatives;
    /** Validation images ranked for R@K each epoch (0: off), and the metric best.safetensors follows. */
    private int recallImages;
    private Selection selection = Selection.min(ValidationRecall.LOSS_SUM);
    private final Vgg16Attention imageModel;
    private final BertObject languageModel;
    private final CrossAttention crossAttention;
    private final Sequential imageHead, languageHead;

    public TransferModel(VgBertConfig c, Generator gen) {
        this.config = c;
        this.gen = gen;
        int d = c.dim();
        this.imageModel = registerModule("image_model", new Vgg16Attention(c.visualWithDropout(c.dropout()), gen));
        this.languageModel = registerModule("language_model", new BertObject(c.bertWithDropout(c.dropout()), gen));
        this.crossAttention = registerModule("cross_attention_model",
                new CrossAttention(d, c.heads(), c.subspace(), c.relations(), c.dropout(), gen));
        this.imageHead = registerModule("image_projection_head", new Sequential(new Conv2d(d, d, 1, 1, 0, gen), new ReLU(),
                new Dropout(c.fixedDropout().transferHeads(), gen), new Conv2d(d, d, 1, 1, 0, gen)));
        this.languageHead = registerModule("language_projection_head", new Sequential(new Linear(d, d, gen), new ReLU(),
                new Dropout(c.fixedDropout().transferHeads(), gen), new Linear(d, d, gen)));
        // §2.5.5: everything frozen but the two heads.
        freeze("image_model");
        freeze("language_model");
        freeze("cross_attention_model");
    }

    public VgBertConfig config() { return config; }

    /** Global image vectors ḡ [B,D]. */
    public Tensor embedImages(Tensor images) {
        Tensor x = imageModel.forward(images);
        int b = x.size(0), d = x.size(1), h = x.size(2), w = x.size(3);
        Tensor cells = x.permute(0, 2, 3, 1).reshape(b, h * w, d);
        Tensor keyMap = crossAttention.keyVisual().forward(cells).reshape(b, h, w, d).permute(0, 3, 1, 2);
        Tensor g = imageHead.forward(keyMap);
        return g.reshape(b, d, h * w).mean(2, false);
    }

    /**
     * Sentence vectors f̄ [B,D] from ids/types/mask [B,T]: the mean over every slot (§9.4, as the
     * original), or over the real tokens when the config asks for §9.4's masked mean.
     */
    public Tensor embedTexts(Tensor ids, Tensor types, Tensor mask) {
        Tensor e = languageModel.tokens(ids, types, mask);
        Tensor q = crossAttention.queryLanguage().forward(e);
        Tensor f = languageHead.forward(q);
        if (!config.maskedTextMean()) return f.mean(1, false);
        Tensor m = mask.to(f.dtype()).unsqueeze(2);
        return f.mul(m).sum(1, false).div(m.sum(1, false).clampMin(1));   // an all-padding row stays finite
    }

    public Tensor[] losses(CaptionBatch b) {
        if (negatives != null && isTraining())   // validation runs the whole set on every rank: its own batch is the global one
            return GlobalNegatives.pooled(negatives, embedImages(b.images()), embedTexts(b.ids(), b.types(), b.mask()), VgBertConfig.TRANSFER_SIGMA);
        return VgBertOps.pooledContrastive(embedImages(b.images()), embedTexts(b.ids(), b.types(), b.mask()), VgBertConfig.TRANSFER_SIGMA);
    }

    /**
     * Takes the in-batch negatives of training steps from every rank of {@code comm}
     * ({@link GlobalNegatives}); null: this process's batch only (one process, or {@code --negatives local}).
     */
    public TransferModel globalNegatives(Communicator comm) {
        this.negatives = comm;
        return this;
    }

    @Override
    public Module model() { return this; }

    @Override
    public StepOutput step(CaptionBatch b) {
        return StepOutput.twoWay(losses(b), b.images().size(0));
    }

    /**
     * §6.2 (and §5.3 for the transfer): the sum of validation losses, lower is better, unless
     * {@link #validationRecall} chose a recall.
     */
    @Override
    public Selection selection() { return selection; }

    /**
     * Ranks the first {@code images} validation images each epoch ({@link ValidationRecall}; 0: off) and
     * picks best.safetensors by {@code by} (the loss sum or one of the recalls).
     */
    public TransferModel validationRecall(int images, Selection by) {
        this.recallImages = images;
        this.selection = by;
        return this;
    }

    @Override
    public ValidationRecall validationSet() { return recallImages == 0 ? null : ValidationRecall.transfer(this, recallImages); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}
