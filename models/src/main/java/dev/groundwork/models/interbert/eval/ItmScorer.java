package dev.groundwork.models.interbert.eval;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.InterBertModel;
import dev.groundwork.models.interbert.InterBertPreTrainingHeads;

/**
 * The match probability of image-text pairs as the original's retrieval evaluation computes it (spec 5.1):
 * softmax of the ITM head's two logits, class 0 ("matched"). Fine-tuned: {@link InterBertForVLTasks}'s
 * {@code vil_binary_prediction}; zero-shot: {@link InterBertForMultiModalPreTraining}'s ITM output, the
 * same head without fine-tuning. Embedding is split from the rest so each caption and image is embedded
 * once; call it in eval mode without gradients (dropout off makes the split exact).
 */
public final class ItmScorer {
    private final Module model;
    private final InterBertModel bert;
    private final InterBertPreTrainingHeads cls;

    private ItmScorer(Module model, InterBertModel bert, InterBertPreTrainingHeads cls) {
        this.model = model;
        this.bert = bert;
        this.cls = cls;
        model.eval();
    }

    public static ItmScorer fineTuned(InterBertForVLTasks m) { return new ItmScorer(m, m.bert(), m.cls()); }

    public static ItmScorer zeroShot(InterBertForMultiModalPreTraining m) { return new ItmScorer(m, m.bert(), m.cls()); }

    public Module model() { return model; }

    /** [N, L] ids (segment 0) to [N, L, H]. */
    public Tensor embedText(Tensor ids) { return bert.embedText(ids, null); }

    /** [N, R, F] features and [N, R, 5] boxes to [N, R, H]. */
    public Tensor embedImage(Tensor feat, Tensor loc) { return bert.embedImage(feat, loc); }

    /** P(matched) of each of the N pairs (text [N, L, H] and mask [N, L], image [N, R, H] and mask [N, R]). */
    public float[] matched(Tensor text, Tensor textMask, Tensor image, Tensor imageMask) {
        InterBertModel.Output o = bert.forwardEmbedded(text, image, textMask, imageMask);
        return F.softmax(cls.itm(o), 1).narrow(1, 0, 1).toFloatArray();
    }
}
