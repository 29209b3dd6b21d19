package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;

/**
 * The pretraining network under the original checkpoint names: {@code bert.*} ({@link InterBertModel})
 * and {@code cls.*} ({@link InterBertPreTrainingHeads}). {@code cls.predictions.decoder.weight} is the word
 * embedding table itself (one tensor under two names), so a checkpoint that carries it, as the
 * original's do, loads strictly.
 */
public final class InterBertForMultiModalPreTraining extends Module {
    /** The encoder's outputs and the three heads' scores. */
    public record Output(InterBertModel.Output bert, InterBertPreTrainingHeads.Output scores) {}

    private final InterBertConfig config;
    private final InterBertModel bert;
    private final InterBertPreTrainingHeads cls;

    public InterBertForMultiModalPreTraining(InterBertConfig config, Generator gen) {
        this.config = config;
        this.bert = registerModule("bert", new InterBertModel(config, gen));
        this.cls = registerModule("cls", new InterBertPreTrainingHeads(config, bert.embeddings().wordEmbeddings(), gen));
    }

    public InterBertConfig config() { return config; }

    public InterBertModel bert() { return bert; }

    public InterBertPreTrainingHeads cls() { return cls; }

    public Output forward(InterBertInputs in) {
        InterBertModel.Output o = bert.forward(in);
        return new Output(o, cls.forward(o));
    }

    /** The three losses of spec 2.4 on this forward's scores. */
    public PretrainingLosses losses(Output out, PretrainingLabels labels) {
        return PretrainingLosses.of(out.scores(), labels, config.predictFeature());
    }

    /** The losses of one data-parallel rank, as means over {@code group}'s global batch (see {@link PretrainingLosses}). */
    public PretrainingLosses losses(Output out, PretrainingLabels labels, dev.groundwork.engine.dist.Communicator group) {
        return PretrainingLosses.of(out.scores(), labels, config.predictFeature(), group);
    }
}
