package dev.groundwork.tools;

import dev.groundwork.models.data.DataException;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code gw train <stage>}: one VG-BERT training stage (§1.6, §3, §4, §5). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one VG-BERT stage. Each stage starts from the previous stage's best.safetensors (--load-pretrained).",
        subcommands = {TrainCommand.Visual.class, TrainCommand.TwoStream.class, TrainCommand.Relational.class, TrainCommand.Retrieval.class})
public final class TrainCommand implements Runnable {
    static final int DIVERGED = 3;

    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Shared body: resolve and check the flags, train, turn expected failures into one line. */
    abstract static class StageCommand implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin TrainFlags flags;

        abstract Stage stage();

        @Override
        public Integer call() {
            StageSettings s = StageSettings.resolve(spec, stage(), flags);
            PrintStream log = System.err;
            try {
                Trainer.Result r = StageRunner.run(s, log);
                spec.commandLine().getOut().printf("%s: %d epochs, %d steps; best epoch %d (%s %.4f); %s%n", stage().cli, r.epochs(), r.steps(),
                        r.bestEpoch(), "selection metric", r.bestMetric(), flags.expDir.resolve(Trainer.BEST));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (TrainingDivergedException e) {
                log.println("gw train " + stage().cli + ": " + e.getMessage());
                return DIVERGED;
            } catch (IOException | DataException | IllegalArgumentException | IllegalStateException e) {
                return Failures.report(spec, flags.expDir, e);
            }
        }
    }

    @Command(name = "visual", mixinStandardHelpOptions = true,
            description = "Stage 1: visual stream + ImageNet classifier on an image folder (SGD momentum 0.9, wd 1e-4, lr halved every 20 epochs).")
    static final class Visual extends StageCommand { Stage stage() { return Stage.VISUAL; } }

    @Command(name = "two-stream", mixinStandardHelpOptions = true,
            description = "Stage 2: visual stream + BERT + projection heads on COCO captions (matchmap InfoNCE, Adam, lr halved every 15 epochs).")
    static final class TwoStream extends StageCommand { Stage stage() { return Stage.TWO_STREAM; } }

    @Command(name = "relational", mixinStandardHelpOptions = true,
            description = "Stage 3: relational grounding on Visual Genome (object + relation + pair losses; best = val relation Acc@1).")
    static final class Relational extends StageCommand { Stage stage() { return Stage.RELATIONAL; } }

    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = "Transfer: frozen stage-3 model + two trainable 2-layer heads on COCO (cosine InfoNCE, lr halved every 30 epochs).")
    static final class Retrieval extends StageCommand { Stage stage() { return Stage.RETRIEVAL; } }
}
