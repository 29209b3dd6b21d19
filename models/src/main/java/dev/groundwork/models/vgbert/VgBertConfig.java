package dev.groundwork.models.vgbert;

import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.vision.VggFeatures;
import dev.groundwork.models.vision.VisualConfig;

import java.util.List;

/**
 * Every size and hyper-parameter of the VG-BERT networks (spec §0, §8). Dropout rates inside the
 * sub-configs are placeholders: each stage sets its own (§6.2), see {@link #visualWithDropout} and
 * {@link #bertWithDropout}.
 *
 * @param dim              D: visual embedder output = BERT hidden = cross-attention width
 * @param heads            h, cross-attention heads (--num-heads)
 * @param subspace         d_s (--subspace-dim)
 * @param relations        K relation matrices, class 0 ("no relation") included (§9.12)
 * @param objectClasses    C of the auxiliary classifier, class 0 ignored
 * @param classifierHidden hidden width of the object classifier (256 hard-coded in the original)
 * @param sigma            σ of the stage-2 matchmap loss (--sigma)
 * @param temperature      τ of the stage-3 relation losses (--temperature)
 * @param dropout          --dropout-rate: visual attention, Bert_object, relation matrices
 * @param fixedDropout     the rates the original hard-codes whatever --dropout-rate says
 * @param maskedTextMean   transfer sentence vector: the mean over the real tokens, not over every slot
 *                         (§9.4's optional improvement; false reproduces the original and its checkpoints)
 * @param captionSlots     T, @param objects O, @param phraseSlots L, @param imageSize crop side in pixels
 */
public record VgBertConfig(VisualConfig visual, BertConfig bert, int dim, int heads, int subspace, int relations,
                           int objectClasses, int classifierHidden, double sigma, double temperature, double dropout,
                           FixedDropout fixedDropout, boolean maskedTextMean, int captionSlots, int objects, int phraseSlots,
                           int imageSize) {

    /**
     * Dropout rates fixed in the original code: Bert_base is always built with its default 0.3 (§2.1,
     * §9.16), the object classifier's hidden layer uses 0.1 (§4.4) and the transfer heads 0.5 (§5.1).
     */
    public record FixedDropout(double bertBase, double classifier, double transferHeads) {
        public static final FixedDropout ORIGINAL = new FixedDropout(0.3, 0.1, 0.5);
        /** The demo's: a few hundred steps from random weights learn faster without any dropout. */
        public static final FixedDropout NONE = new FixedDropout(0, 0, 0);

        public FixedDropout {
            for (double p : new double[]{bertBase, classifier, transferHeads})
                if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
    }

    /** The transfer loss's σ, fixed in the original (§5.1: --sigma is not passed to it). */
    public static final double TRANSFER_SIGMA = 0.1;

    public VgBertConfig {
        if (visual.embeddingDim() != dim || bert.hiddenSize() != dim)
            throw new IllegalArgumentException("embedding dim " + dim + " must equal the visual embedder width " + visual.embeddingDim()
                    + " and the BERT hidden size " + bert.hiddenSize());
        if (heads <= 0 || dim % heads != 0) throw new IllegalArgumentException("num heads " + heads + " must divide the embedding dim " + dim);
        if (subspace <= 0) throw new IllegalArgumentException("subspace dim must be positive, got " + subspace);
        if (relations < 2) throw new IllegalArgumentException("relation num must be at least 2 (class 0 plus one predicate), got " + relations);
        if (objectClasses < 2) throw new IllegalArgumentException("object classes must be at least 2, got " + objectClasses);
        if (!(sigma > 0) || !(temperature > 0)) throw new IllegalArgumentException("sigma and temperature must be positive");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropout);
        int side = imageSize >> (VggFeatures.pools(visual.cfg()) - 1);   // the last pool is dropped (§1.1)
        if (side * side != visual.featureMapSize())
            throw new IllegalArgumentException(imageSize + "px images give a " + side + "x" + side + " grid but the position table has "
                    + visual.featureMapSize() + " cells (§1.4: learned table, one grid size only)");
    }

    /** The paper's networks (§0, §8): 224 px, VGG16, bert-base-uncased, D=768, h=8, d_s=32, K=115, C=56. */
    public static VgBertConfig paper() {
        return new VgBertConfig(VisualConfig.vgBert(0.1), BertConfig.base(), 768, 8, 32, 115, 56, 256,
                0.1, 1.0, 0.1, FixedDropout.ORIGINAL, false, 32, 32, 10, 224);
    }

    /** {@link #demo(int, int)} with the synthetic scenes' label spaces: K = 5 predicates, C = 5 classes. */
    public static VgBertConfig demo() { return demo(5, 5); }

    /**
     * Small enough for about a minute per stage on two CPU cores, from random weights (there is no
     * pretrained VGG or BERT at this size):
     * <ul>
     *   <li>48 px images, so the grid is 3x3, one cell per cell of the synthetic scenes' layout;
     *   <li>a VGG of the same kind, five 3x3 conv + ReLU + 2x2 max-pool blocks of one conv each,
     *       16..64 channels (the 13-conv VGG16 layout, trained from scratch in a few hundred steps,
     *       stayed near chance);
     *   <li>D = 64, 4 heads, a 2-layer BERT of width 64 over the bert-base-uncased vocabulary;
     *   <li>T = 24 caption slots, O = 4 objects of L = 8 phrase slots: the scenes' longest caption
     *       has 19 tokens, a scene at most 4 objects and a phrase 4 tokens;
     *   <li>no dropout anywhere ({@link FixedDropout#NONE}; the stages pass --dropout-rate 0);
     *   <li>the transfer's sentence vector averages the real tokens only (§9.4's option): a 24-slot
     *       caption of 8-19 tokens is otherwise mostly padding.
     * </ul>
     */
    public static VgBertConfig demo(int relations, int objectClasses) {
        List<Object> cfg = List.of(16, "M", 32, "M", 64, "M", 64, "M", 64, "M");
        VisualConfig v = new VisualConfig(cfg, 64, 4, 128, 9, 1e-5, 0.0);
        BertConfig b = new BertConfig(30522, 64, 2, 4, 128, "gelu", 0.0, 0.0, 64, 2, 0.02, 1e-12, 0);
        return new VgBertConfig(v, b, 64, 4, 16, relations, objectClasses, 32, 0.1, 1.0, 0.0, FixedDropout.NONE, true, 24, 4, 8, 48);
    }

    public VisualConfig visualWithDropout(double p) {
        return new VisualConfig(visual.cfg(), visual.embeddingDim(), visual.numHeads(), visual.intermediateSize(),
                visual.featureMapSize(), visual.layerNormEps(), p);
    }

    public BertConfig bertWithDropout(double p) { return bert.withDropout(p); }

    public VgBertConfig withSigma(double s) { return copy(heads, subspace, relations, objectClasses, s, temperature, dropout); }

    public VgBertConfig withTemperature(double t) { return copy(heads, subspace, relations, objectClasses, sigma, t, dropout); }

    public VgBertConfig withDropout(double p) { return copy(heads, subspace, relations, objectClasses, sigma, temperature, p); }

    public VgBertConfig withHeads(int h) { return copy(h, subspace, relations, objectClasses, sigma, temperature, dropout); }

    public VgBertConfig withSubspace(int s) { return copy(heads, s, relations, objectClasses, sigma, temperature, dropout); }

    public VgBertConfig withRelations(int k) { return copy(heads, subspace, k, objectClasses, sigma, temperature, dropout); }

    public VgBertConfig withObjectClasses(int c) { return copy(heads, subspace, relations, c, sigma, temperature, dropout); }

    private VgBertConfig copy(int h, int s, int k, int c, double sg, double t, double p) {
        return new VgBertConfig(visual, bert, dim, h, s, k, c, classifierHidden, sg, t, p, fixedDropout, maskedTextMean, captionSlots, objects, phraseSlots, imageSize);
    }
}
