package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.CheckpointNames;
import dev.groundwork.models.vgbert.Handoff;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Which stage takes which earlier stage's weights, into which part of its model, under which
 * {@link Handoff.Rule} (§6.3): stage 2's visual stream from stage 1, stage 3 from stage 2, the transfer
 * from stage 3. Stage 1 starts from random weights (the original's torchvision ImageNet VGG is not
 * imported here), so it takes none.
 */
final class Handoffs {
    private Handoffs() {}

    /** torchvision's {@code features.N} names and nothing of stage 1's embedder or attention. */
    private static boolean torchvisionOnly(java.util.Map<String, ?> w) {
        boolean features = false;
        for (String n : w.keySet()) {
            String bare = CheckpointNames.stripDataParallel(n);
            if (bare.startsWith("embedder.") || bare.startsWith("attention.") || bare.startsWith("image_model.")) return false;
            features |= CheckpointNames.isVggFeature(bare);
        }
        return features;
    }

    /** Whether {@code stage} takes a previous stage's weights at all. */
    static boolean takesWeights(Stage stage) { return stage != Stage.VISUAL; }

    /**
     * The run's {@code --pretrained-vgg} into {@code visual} and its {@code --bert} into {@code bert} (stage 2's
     * language stream; null for stage 1), each reported in full; {@code --bert none} says that the stream stays
     * random. The original initialises from torchvision before it loads a checkpoint, so a stage-2 run with
     * both ends with stage 1's VGG, as there.
     */
    static void pretrained(RunSettings s, Module visual, BertModel bert, PrintStream log) throws IOException {
        // Also on --resume: a run killed before its first checkpoint restarts from these weights.
        if (s.pretrainedVgg() != null) log.println("pretrained VGG16 " + s.pretrainedVgg() + " -> " + PretrainedWeights.loadVgg(visual, s.pretrainedVgg()).summary());
        else if (s.loadPretrained() == null) log.println("note: no --pretrained-vgg: the VGG16 convolutions start from random weights");
        if (bert == null) return;
        if (PretrainedWeights.NO_BERT.equals(s.bert())) log.println("note: --bert none: the language stream starts from random weights");
        else log.println("BERT " + s.bert() + " -> " + PretrainedWeights.loadBert(bert, s.bert(), s.vocab()).summary());
    }

    /**
     * Loads {@code weights} (null: none) into {@code model} as {@code stage} expects and logs the one-line
     * summary; a file that breaks the stage's rule is an {@link IllegalArgumentException} naming what.
     */
    static void load(Stage stage, Module model, Path weights, PrintStream log) throws IOException {
        if (weights == null) {
            // The transfer trains heads only: frozen random streams make a run that cannot learn anything useful.
            if (stage == Stage.RETRIEVAL) log.println("warning: no pretrained weights: the frozen streams keep their random initialisation");
            return;
        }
        switch (stage) {
            case VISUAL -> throw new IllegalStateException("the visual stage takes no pretrained weights");
            case TWO_STREAM -> {
                var w = Handoff.read(weights);
                if (torchvisionOnly(w))
                    throw new IllegalArgumentException(weights + " is torchvision's VGG16 (ImageNet convolutions only, no embedder or attention): "
                            + "give it with --pretrained-vgg; --load-pretrained takes stage 1's best.safetensors");
                log.println(Handoff.load(model.submodule("image_model"), w, Handoff.VISUAL));
            }
            case RELATIONAL -> log.println(Handoff.load(model, Handoff.read(weights), Handoff.TWO_STREAM));
            case RETRIEVAL -> log.println(Handoff.load(model, Handoff.read(weights), Handoff.RELATIONAL));
        }
    }
}
