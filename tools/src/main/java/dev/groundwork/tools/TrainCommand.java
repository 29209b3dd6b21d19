package dev.groundwork.tools;

import dev.groundwork.models.data.DataException;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainingDivergedException;
import dev.groundwork.models.vgbert.recipe.RunSettings;
import dev.groundwork.models.vgbert.recipe.Stage;
import dev.groundwork.models.vgbert.recipe.StagePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.concurrent.Callable;

/** {@code gw train <stage>}: one VG-BERT training stage (§1.6, §3, §4, §5), the recipe in {@code models.vgbert.recipe}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one VG-BERT stage (each starts from the previous stage's best.safetensors, --load-pretrained) or an InterBERT task (interbert-*).",
        subcommands = {TrainCommand.Visual.class, TrainCommand.TwoStream.class, TrainCommand.Relational.class, TrainCommand.Retrieval.class,
                TrainInterBertCommand.Pretrain.class, TrainInterBertCommand.Flickr.class, TrainInterBertCommand.Vcr.class})
public final class TrainCommand implements Runnable {
    static final int DIVERGED = 3;

    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Shared body: map the flags onto the run's settings, train, turn expected failures into one line. */
    abstract static class StageCommand implements Callable<Integer>, CommandDefaults.Source {
        @Spec CommandSpec spec;
        @Mixin TrainFlags flags;
        @Mixin BatchSizeOption batch;
        @Mixin SeedOption seed;
        @Mixin DeviceOption device;
        @Mixin VocabOption vocab;

        abstract Stage stage();

        /** The stage's own lr, batch, epochs and dropout (§8), shown in its help. */
        @Override
        public String defaultFor(String option) {
            Stage s = stage();
            return switch (option) {
                case "--learning-rate" -> BigDecimal.valueOf(s.lr()).stripTrailingZeros().toPlainString();
                case BatchSizeOption.NAME -> Integer.toString(s.batchSize());
                case "--n-epochs" -> Integer.toString(s.epochs());
                case "--dropout-rate" -> Double.toString(s.dropout());
                default -> null;
            };
        }

        /** The run the flags describe; a bad value is a usage error naming its flag. */
        RunSettings settings() {
            try {
                TrainFlags f = flags;
                return RunSettings.builder(stage(), f.preset)
                        .dataTrain(f.dataTrain).dataVal(f.dataVal).vocab(vocab.path).loadPretrained(f.loadPretrained).expDir(f.expDir)
                        .resume(f.resume).lr(f.learningRate).batchSize(batch.size).epochs(f.epochs).dropout(f.dropout).sigma(f.sigma)
                        .temperature(f.temperature).learnableLayers(f.learnableLayers).heads(f.heads).embeddingDim(f.embeddingDim)
                        .subspaceDim(f.subspaceDim).relationNum(f.relationNum).trainBackbone(f.trainBackbone).seed(seed.seed)
                        .device(device.resolve()).workers(f.workers).logEverySteps(f.logEverySteps).maxSteps(f.maxSteps)
                        .saveEverySteps(f.saveEverySteps).badRecords(f.badRecords).build();
            } catch (InvalidSettingException e) {
                throw new ParameterException(spec.commandLine(), TrainFlags.message(e));
            }
        }

        @Override
        public Integer call() {
            RunSettings s = settings();
            PrintStream log = System.err;
            StopRequest stop = new StopRequest();
            try (var signals = StopSignals.install(stop)) {
                Trainer.Result r = StagePipeline.run(s, log, stop);
                if (r.interrupted()) {
                    log.printf("gw train %s: stopped by %s after step %d; the checkpoint in %s resumes there: add --resume to the same command%n",
                            stage().id(), r.stoppedBy(), r.steps(), s.expDir());
                    return StopSignals.exitCode(r.stoppedBy());
                }
                spec.commandLine().getOut().printf("%s: %d epochs, %d steps; best epoch %d (%s %.4f); %s%n", stage().id(), r.epochs(), r.steps(),
                        r.bestEpoch(), "selection metric", r.bestMetric(), s.expDir().resolve(Trainer.BEST));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (TrainingDivergedException e) {
                log.println("gw train " + stage().id() + ": " + e.getMessage());
                return DIVERGED;
            } catch (InvalidSettingException e) {
                return Failures.report(spec, s.expDir(), new IllegalArgumentException(TrainFlags.message(e)));
            } catch (IOException | DataException | IllegalArgumentException | IllegalStateException e) {
                return Failures.report(spec, s.expDir(), e);
            }
        }
    }

    @Command(name = "visual", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Stage 1: visual stream + ImageNet classifier on an image folder (SGD momentum 0.9, wd 1e-4, lr halved every 20 epochs).")
    static final class Visual extends StageCommand { Stage stage() { return Stage.VISUAL; } }

    @Command(name = "two-stream", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Stage 2: visual stream + BERT + projection heads on COCO captions (matchmap InfoNCE, Adam, lr halved every 15 epochs).")
    static final class TwoStream extends StageCommand { Stage stage() { return Stage.TWO_STREAM; } }

    @Command(name = "relational", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Stage 3: relational grounding on Visual Genome (object + relation + pair losses; best = val relation Acc@1).")
    static final class Relational extends StageCommand { Stage stage() { return Stage.RELATIONAL; } }

    @Command(name = "retrieval", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Transfer: frozen stage-3 model + two trainable 2-layer heads on COCO (cosine InfoNCE, lr halved every 30 epochs).")
    static final class Retrieval extends StageCommand { Stage stage() { return Stage.RETRIEVAL; } }
}
