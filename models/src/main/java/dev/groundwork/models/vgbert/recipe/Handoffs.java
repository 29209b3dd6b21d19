package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.nn.Module;
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

    /** Whether {@code stage} takes a previous stage's weights at all. */
    static boolean takesWeights(Stage stage) { return stage != Stage.VISUAL; }

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
            case TWO_STREAM -> log.println(Handoff.load(model.submodule("image_model"), Handoff.read(weights), Handoff.VISUAL));
            case RELATIONAL -> log.println(Handoff.load(model, Handoff.read(weights), Handoff.TWO_STREAM));
            case RETRIEVAL -> log.println(Handoff.load(model, Handoff.read(weights), Handoff.RELATIONAL));
        }
    }
}
