package dev.groundwork.tools;

import dev.groundwork.engine.dist.CommunicatorException;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.train.DataParallel;
import dev.groundwork.models.train.ProcessGroup;
import dev.groundwork.models.vgbert.GlobalNegatives;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainingDivergedException;
import dev.groundwork.models.vgbert.recipe.RunSettings;
import dev.groundwork.models.vgbert.recipe.PretrainedWeights;
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
import java.util.List;
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
        @Mixin QuietOption quiet;

        abstract Stage stage();

        /** The flag groups this stage takes beyond the common ones ({@link StageFlags}). */
        abstract List<StageFlags.Group> groups();

        /** The vocabulary, for the stages with a BERT; null for the visual stage. */
        abstract java.nio.file.Path vocab();

        /** In-batch negatives under several processes: only the contrastive stages have a choice ({@link NegativesOption}). */
        GlobalNegatives.Mode negatives() { return GlobalNegatives.Mode.GLOBAL; }

        /** The stage's own lr, batch, epochs and dropout (§8), shown in its help. */
        @Override
        public String defaultFor(String option) {
            Stage s = stage();
            return switch (option) {
                case "--learning-rate" -> BigDecimal.valueOf(s.lr()).stripTrailingZeros().toPlainString();
                case BatchSizeOption.NAME -> Integer.toString(s.batchSize());
                case "--n-epochs", "--n_epochs" -> Integer.toString(s.epochs());
                case "--dropout-rate" -> Double.toString(s.dropout());
                default -> null;
            };
        }

        /** The run the flags describe; a bad value is a usage error naming its flag. */
        RunSettings settings(ProcessGroup.World world) {
            try {
                TrainFlags f = flags;
                RunSettings.Builder b = RunSettings.builder(stage(), f.preset)
                        .dataTrain(f.dataTrain).dataVal(f.dataVal).vocab(vocab()).expDir(f.expDir)
                        .resume(f.resume).lr(f.learningRate).batchSize(batch.size).epochs(f.epochs).dropout(f.dropout)
                        .embeddingDim(f.embeddingDim).seed(seed.seed)
                        .device(ProcessGroup.device(world, device.resolve())).workers(f.workers).logEverySteps(f.logEverySteps).maxSteps(f.maxSteps)
                        .saveEverySteps(f.saveEverySteps).badRecords(f.badRecords);
                for (StageFlags.Group g : groups()) g.apply(b);
                return b.build();
            } catch (InvalidSettingException e) {
                throw new ParameterException(spec.commandLine(), TrainFlags.message(e));
            }
        }

        @Override
        public Integer call() {
            ProcessGroup.World world = ProcessGroup.detect();
            RunSettings s = settings(world);
            GlobalNegatives.Mode mode = negatives();
            PrintStream log = quiet.log();
            if (world.distributed()) Failures.rank(world.rank(), world.size());
            DataParallel dp;
            try {
                dp = ProcessGroup.open(world, s.device());
            } catch (CommunicatorException e) {
                return Failures.report(spec, s.expDir(), e);
            }
            StopRequest stop = new StopRequest();
            // A failing rank exits without leaving the group: mpirun and gw launch then end the others
            // at once, instead of letting them wait for it until GW_COMM_TIMEOUT.
            try (var signals = StopSignals.install(stop)) {
                Trainer.Result r = StagePipeline.run(s, log, stop, dp, mode);
                dp.comm().close();
                if (r.interrupted()) {
                    System.err.printf("gw train %s: stopped by %s after step %d; the checkpoint in %s resumes there: add --resume to the same command%n",
                            stage().id(), r.stoppedBy(), r.steps(), s.expDir());
                    return StopSignals.exitCode(r.stoppedBy());
                }
                spec.commandLine().getOut().printf("%s: %d epochs, %d steps; best epoch %d (%s %.4f); %s%n", stage().id(), r.epochs(), r.steps(),
                        r.bestEpoch(), "selection metric", r.bestMetric(), s.expDir().resolve(Trainer.BEST));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (TrainingDivergedException e) {
                System.err.println("gw train " + stage().id() + ": " + Failures.who() + e.getMessage());
                return DIVERGED;
            } catch (InvalidSettingException e) {
                // A setting refused once the run is set up (a batch that does not fit, a resume without a checkpoint): named by its flag.
                spec.commandLine().getErr().println("gw train " + stage().id() + ": " + Failures.who() + TrainFlags.message(e));
                spec.commandLine().getErr().flush();
                return Failures.BAD_INPUT;
            } catch (IOException | DataException | IllegalArgumentException | IllegalStateException | CommunicatorException e) {
                return Failures.report(spec, s.expDir(), e);
            } catch (OutOfMemoryError e) {
                // The estimate before the first step is coarse; should a step still not fit, say what to change.
                System.err.printf("gw train %s: the Java heap (at most %.1f GiB) ran out at batch %d: lower -b/--batch-size, or give the JVM more memory "
                        + "with GW_JAVA_OPTS=-Xmx<N>g or ./gw -J-Xmx<N>g; %s keeps the last checkpoint%n",
                        stage().id(), Runtime.getRuntime().maxMemory() / (double) (1L << 30), s.batchSize(), s.expDir());
                return 1;
            }
        }
    }

    @Command(name = "visual", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Stage 1: visual stream + ImageNet classifier on an image folder (SGD momentum 0.9, wd 1e-4, lr halved every 20 epochs).")
    static final class Visual extends StageCommand {
        @Mixin StageFlags.Vgg vgg;

        Stage stage() { return Stage.VISUAL; }
        List<StageFlags.Group> groups() { return List.of(vgg); }
        java.nio.file.Path vocab() { return null; }
    }

    @Command(name = "two-stream", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Stage 2: visual stream + BERT + projection heads on COCO captions (matchmap InfoNCE, Adam, lr halved every 15 epochs).")
    static final class TwoStream extends StageCommand {
        @Mixin VocabOption vocab;
        @Mixin StageFlags.Vgg vgg;
        @Mixin StageFlags.Bert bert;
        @Mixin StageFlags.Handoff handoff;
        @Mixin StageFlags.Sigma sigma;
        @Mixin StageFlags.Language language;
        @Mixin StageFlags.CocoImages images;
        @Mixin StageFlags.Recall recall;
        @Mixin NegativesOption negatives;

        Stage stage() { return Stage.TWO_STREAM; }
        @Override GlobalNegatives.Mode negatives() { return negatives.mode(spec); }
        List<StageFlags.Group> groups() { return List.of(vgg, bert, handoff, sigma, language, images, recall); }
        /** --vocab, else the --bert folder's own vocab.txt (a Hugging Face folder ships one), else the installation's. */
        java.nio.file.Path vocab() {
            if (vocab.path == null && bert.source != null && !bert.source.equals(PretrainedWeights.NO_BERT)) {
                java.nio.file.Path own = java.nio.file.Path.of(bert.source).resolve("vocab.txt");
                if (java.nio.file.Files.isRegularFile(own)) return own;
            }
            return vocab.path();
        }
    }

    @Command(name = "relational", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Stage 3: relational grounding on Visual Genome (object + relation + pair losses; best = val relation Acc@1).")
    static final class Relational extends StageCommand {
        @Mixin VocabOption vocab;
        @Mixin StageFlags.Handoff handoff;
        @Mixin StageFlags.Temperature temperature;
        @Mixin StageFlags.Language language;
        @Mixin StageFlags.Relations relations;

        Stage stage() { return Stage.RELATIONAL; }
        List<StageFlags.Group> groups() { return List.of(handoff, temperature, language, relations); }
        java.nio.file.Path vocab() { return vocab.path(); }
    }

    @Command(name = "retrieval", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
            description = "Transfer: frozen stage-3 model + two trainable 2-layer heads on COCO (cosine InfoNCE, lr halved every 30 epochs).")
    static final class Retrieval extends StageCommand {
        @Mixin VocabOption vocab;
        @Mixin StageFlags.Handoff handoff;
        @Mixin StageFlags.Relations relations;
        @Mixin StageFlags.CocoImages images;
        @Mixin StageFlags.Recall recall;
        @Mixin NegativesOption negatives;

        Stage stage() { return Stage.RETRIEVAL; }
        @Override GlobalNegatives.Mode negatives() { return negatives.mode(spec); }
        List<StageFlags.Group> groups() { return List.of(handoff, relations, images, recall); }
        java.nio.file.Path vocab() { return vocab.path(); }
    }
}
