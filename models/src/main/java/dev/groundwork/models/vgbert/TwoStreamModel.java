package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.nn.Module;
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
 * Stage 2 (§3): visual stream + Bert_base + one linear projection head per stream, trained with the
 * symmetric InfoNCE over the max-over-cells / mean-over-words matchmap, raw dot products, logits / σ
 * (§9.8: no normalisation, reproduced). Names: {@code image_model.*}, {@code language_model.language_model.*},
 * {@code image_projection_head.0.*} (1x1 conv), {@code language_projection_head.0.*} (Linear).
 */
public final class TwoStreamModel extends Module implements StageTask<CaptionBatch> {
    private final VgBertConfig config;
    private final Generator gen;
    /** Training steps take their negatives from every rank of this group (null: the local batch). */
    private Communicator negatives;
    /** Validation images ranked for R@K each epoch (0: off), and the metric best.safetensors follows. */
    private int recallImages;
    private Selection selection = Selection.min(ValidationRecall.LOSS_SUM);
    private final Vgg16Attention imageModel;
    private final BertObject languageModel;
    private final Sequential imageHead, languageHead;

    /**
     * @param learnable --base-model-learnable-layers (8 in the README); Q/K stay frozen (freezeQK)
     * @param gen       initialisation and, afterwards, every dropout draw of this model
     */
    public TwoStreamModel(VgBertConfig c, int learnable, Generator gen) {
        this.config = c;
        this.gen = gen;
        // The visual attention follows --dropout-rate; Bert_base ignores it and keeps its fixed rate (0.3, §2.1).
        this.imageModel = registerModule("image_model", new Vgg16Attention(c.visualWithDropout(c.dropout()), gen));
        this.languageModel = registerModule("language_model", new BertObject(c.bertWithDropout(c.fixedDropout().bertBase()), gen));
        this.imageHead = registerModule("image_projection_head", new Sequential(new Conv2d(c.dim(), c.dim(), 1, 1, 0, gen)));
        this.languageHead = registerModule("language_projection_head", new Sequential(new Linear(c.dim(), c.dim(), gen)));
        Freezing.visualStream(this);
        Freezing.bert(this, c.bert().numHiddenLayers(), learnable, true);
    }

    public VgBertConfig config() { return config; }

    /** The language stream ({@code language_model}). */
    public BertObject languageModel() { return languageModel; }

    /** V = image head(visual(images)) [B,D,h,w]. */
    public Tensor imageMap(Tensor images) {
        return imageHead.forward(imageModel.forward(images));
    }

    /** Lw = language head(Bert_base(caption)) [B,T,D]. */
    public Tensor words(Tensor ids, Tensor types, Tensor mask) {
        return languageHead.forward(languageModel.tokens(ids, types, mask));
    }

    /** {loss_i2l, loss_l2i} of §3.3 over the whole batch (§9.7: one device, all in-batch negatives). */
    public Tensor[] losses(CaptionBatch b) {
        if (negatives != null && isTraining())   // validation runs the whole set on every rank: its own batch is the global one
            return GlobalNegatives.matchmap(negatives, imageMap(b.images()), words(b.ids(), b.types(), b.mask()), b.nwords(), config.sigma());
        return VgBertOps.matchmapContrastive(imageMap(b.images()), words(b.ids(), b.types(), b.mask()), b.nwords(), config.sigma());
    }

    /**
     * Takes the in-batch negatives of training steps from every rank of {@code comm}
     * ({@link GlobalNegatives}); null: this process's batch only (one process, or {@code --negatives local}).
     */
    public TwoStreamModel globalNegatives(Communicator comm) {
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
    public TwoStreamModel validationRecall(int images, Selection by) {
        this.recallImages = images;
        this.selection = by;
        return this;
    }

    @Override
    public ValidationRecall validationSet() { return recallImages == 0 ? null : ValidationRecall.twoStream(this, recallImages); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}
