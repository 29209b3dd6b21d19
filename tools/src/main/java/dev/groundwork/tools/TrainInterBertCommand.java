package dev.groundwork.tools;

import dev.groundwork.engine.dist.CommunicatorException;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.recipe.FlickrFineTuning;
import dev.groundwork.models.interbert.recipe.FlickrSettings;
import dev.groundwork.models.interbert.recipe.PretrainSettings;
import dev.groundwork.models.interbert.recipe.Pretraining;
import dev.groundwork.models.interbert.recipe.VcrFineTuning;
import dev.groundwork.models.interbert.recipe.VcrSettings;
import dev.groundwork.models.train.DataParallel;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.ProcessGroup;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code gw train interbert-pretrain | interbert-flickr | interbert-vcr}: the flags mapped onto the InterBERT
 * recipes in {@code models.interbert.recipe}; each recipe holds the defaults (the README's) and the checks.
 */
final class TrainInterBertCommand {
    private TrainInterBertCommand() {}

    /** Shared body: settings from flags (a bad value is a usage error naming its flag), the run, failures as one line. */
    abstract static class Base implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin InterBertRunFlags flags;
        @Mixin VocabOption vocab;
        @Mixin DeviceOption device;

        abstract String name();

        /** One rank's run: {@code dp} the data-parallel group (alone: none), {@code d} this rank's device. */
        abstract Trainer.Result train(PrintStream log, StopRequest stop, DataParallel dp, Device d) throws IOException, DataException;

        /**
         * Under {@code mpirun -np N} (or {@code gw launch}) the run is one rank of N, as {@code gw train}'s
         * VG-BERT stages: the group is joined first, every error line names the rank, and a failing rank exits
         * without leaving the group, so that the launcher ends the others at once.
         */
        @Override
        public Integer call() {
            PrintStream log = System.err;
            StopRequest stop = new StopRequest();
            ProcessGroup.World world = ProcessGroup.detect();
            Device d = ProcessGroup.device(world, device.resolve());
            if (world.distributed()) Failures.rank(world.rank(), world.size());
            DataParallel dp;
            try {
                dp = ProcessGroup.open(world, d);
            } catch (CommunicatorException e) {
                return Failures.report(spec, flags.expDir, e);
            }
            try (var signals = StopSignals.install(stop)) {
                Trainer.Result r;
                try {
                    r = train(log, stop, dp, d);
                    dp.comm().close();
                } catch (InvalidSettingException e) {
                    // Found while opening the data or the weights: one line, as any bad input.
                    return Failures.report(spec, flags.expDir, new IllegalArgumentException(InterBertRunFlags.message(e)));
                }
                if (r.interrupted()) {
                    log.printf("gw train %s: stopped by %s after step %d; add --resume to the same command to continue%n", name(), r.stoppedBy(), r.steps());
                    return StopSignals.exitCode(r.stoppedBy());
                }
                spec.commandLine().getOut().printf("%s: %d epochs, %d steps; best epoch %d (%.4f); %s%n", name(), r.epochs(), r.steps(),
                        r.bestEpoch(), r.bestMetric(), flags.expDir.resolve(Trainer.BEST));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (TrainingDivergedException e) {
                log.println("gw train " + name() + ": " + Failures.who() + e.getMessage());
                return TrainCommand.DIVERGED;
            } catch (IOException | DataException | IllegalArgumentException | IllegalStateException | CommunicatorException e) {
                if (e instanceof ParameterException p) throw p;
                return Failures.report(spec, flags.expDir, e);
            }
        }

        <T> T or(T v, T d) { return v != null ? v : d; }
    }

    @Command(name = "interbert-pretrain", mixinStandardHelpOptions = true,
            description = {"InterBERT pretraining on Conceptual-Captions-style LMDBs (spec 2): MSM + MRM + ITM, BertAdam, warmup-linear.",
                    "Defaults are the README's: lr 1e-4 (x0.1 for the BERT-initialised embeddings and encoder layers), batch 64, 15 epochs, span masking."})
    static final class Pretrain extends Base {
        @Option(names = {"--from-bert", "--bert_model"}, paramLabel = "PATH", description = "bert-base checkpoint or HF folder to start from (default: random weights)")
        Path fromBert;

        @Option(names = {"--span-mask", "--span_mask"}, negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "one masked span of text and IoU groups of regions (the README's runs; default on); --no-span-mask: BERT-style 15%% masking")
        boolean spanMask;

        @Option(names = {"--predict-feature", "--predict_feature"}, description = "region loss: squared error to the feature instead of KL to the detector classes")
        boolean predictFeature;

        @Option(names = "--loss-weights", split = ",", paramLabel = "T,I,M", description = "weights of the text, image and ITM losses (default 1,1,1)")
        double[] weights;

        @Option(names = {"--local-rank", "--local_rank"}, defaultValue = "-1", paramLabel = "N",
                description = "one process's rank: reads training_feat_part_N.lmdb when present (default -1: training_feat_all.lmdb); under mpirun the rank comes from mpirun and each rank reads its part when every rank has one")
        int rank;

        @Option(names = "--max-seq-length", paramLabel = "L", description = "text slots (default 36)")
        Integer maxSeqLength;

        @Option(names = "--regions", paramLabel = "M", description = "regions per image before the global token (default 36)")
        Integer regions;

        String name() { return "interbert-pretrain"; }

        Trainer.Result train(PrintStream log, StopRequest stop, DataParallel dp, Device dev) throws IOException, DataException {
            PretrainSettings d = PretrainSettings.defaults(flags.data, vocab.path(), flags.run(dev));
            if (weights != null && weights.length != 3)
                throw new ParameterException(spec.commandLine(), "--loss-weights needs three numbers (text, image, ITM), got " + weights.length);
            double[] w = weights == null ? new double[]{1, 1, 1} : weights;
            PretrainSettings s = new PretrainSettings(d.data(), d.vocab(), flags.model.config, flags.model.size, fromBert, or(flags.lr, d.lr()),
                    or(flags.batch, d.batchSize()), or(flags.epochs, d.epochs()), or(flags.warmup, d.warmup()), spanMask, predictFeature,
                    w[0], w[1], w[2], or(flags.rule, d.weightDecayRule()), or(flags.weightDecay, d.weightDecay()), d.bertLrFactor(), rank,
                    or(maxSeqLength, d.maxSeqLength()), or(regions, d.regions()), d.run());
            return Pretraining.run(s, log, stop, dp);
        }
    }

    /** The flags both fine-tuning commands add: the starting weights, EMA and the region head's width. */
    abstract static class FineTune extends Base {
        @Option(names = {"--from-pretrained", "--from_pretrained"}, paramLabel = "PATH",
                description = "pretrained weights: a pretraining run's best.safetensors or the original's pytorch_model_N.bin (only the VL heads start fresh)")
        Path init;

        @Option(names = {"--use-ema", "--use_ema"}, negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "exponential moving average of the weights after every step, used for validation and saved as best_ema.safetensors (default on, as the README)")
        boolean useEma;

        @Option(names = "--head-dropout", paramLabel = "P",
                description = "dropout in front of the heads (default 0.1 as the original; 0 makes N processes compute what one does on the global batch)")
        Double headDropout;

        @Option(names = {"--ema-decay-ratio", "--ema_decay_ratio"}, paramLabel = "D", description = "EMA decay (default 0.9999)")
        Double emaDecay;

        @Mixin InterBertModelOption.RegionClasses regionClasses;

        double ema(double d) { return useEma ? or(emaDecay, d) : 0; }
    }

    @Command(name = "interbert-flickr", mixinStandardHelpOptions = true,
            description = {"Flickr30K retrieval fine-tuning (spec 4.2): four pairs per caption, binary CE on the ITM head, EMA.",
                    "Defaults are the README's: lr 4e-5, 64 captions (256 pairs) per step, 20 epochs, warmup-constant, x0.1 at epochs 12 and 16."})
    static final class Flickr extends FineTune {
        @Option(names = "--lr-milestones", split = ",", paramLabel = "E,E", description = "0-based epochs where the lr is multiplied by 0.1 (default 12,16)")
        int[] milestones;

        @Option(names = "--regions", paramLabel = "R", description = "image rows with the global token (default 102)")
        Integer regions;

        String name() { return "interbert-flickr"; }

        Trainer.Result train(PrintStream log, StopRequest stop, DataParallel dp, Device dev) throws IOException, DataException {
            FlickrSettings d = FlickrSettings.defaults(flags.data, vocab.path(), init, flags.run(dev));
            FlickrSettings s = new FlickrSettings(d.data(), d.vocab(), flags.model.config, flags.model.size, init, regionClasses.value, or(flags.lr, d.lr()),
                    or(flags.batch, d.batchSize()), or(flags.epochs, d.epochs()), or(flags.warmup, d.warmup()), or(milestones, d.milestones()),
                    ema(d.emaDecay()), or(flags.rule, d.weightDecayRule()), or(flags.weightDecay, d.weightDecay()), d.textLength(),
                    or(regions, d.regions()), or(headDropout, d.headDropout()), d.run());
            return FlickrFineTuning.run(s, log, stop, dp);
        }
    }

    @Command(name = "interbert-vcr", mixinStandardHelpOptions = true,
            description = {"VCR fine-tuning (spec 4.3): Q->A and QA->R jointly (two steps per iteration), one vil_logit head, 4-way CE, EMA.",
                    "Defaults are the README's: lr 2e-5, 32 questions per task per iteration, 5 epochs."})
    static final class Vcr extends FineTune {
        @Option(names = "--regions", paramLabel = "R", description = "image rows after merging detected and ground-truth boxes (default 100)")
        Integer regions;

        @Option(names = {"--max-seq-length", "--max_seq_length"}, split = ",", paramLabel = "QA,QAR", description = "text slots of Q->A and of QA->R (default 60,80)")
        int[] textLengths;

        String name() { return "interbert-vcr"; }

        Trainer.Result train(PrintStream log, StopRequest stop, DataParallel dp, Device dev) throws IOException, DataException {
            VcrSettings d = VcrSettings.defaults(flags.data, vocab.path(), init, flags.run(dev));
            VcrSettings s = new VcrSettings(d.data(), d.vocab(), flags.model.config, flags.model.size, init, regionClasses.value, or(flags.lr, d.lr()),
                    or(flags.batch, d.batchSize()), or(flags.epochs, d.epochs()), or(flags.warmup, d.warmup()), ema(d.emaDecay()),
                    or(flags.rule, d.weightDecayRule()), or(flags.weightDecay, d.weightDecay()), length(0, d.qaLength()), length(1, d.qarLength()),
                    or(regions, d.regions()), or(headDropout, d.headDropout()), d.run());
            return VcrFineTuning.run(s, log, stop, dp);
        }

        private int length(int task, int otherwise) {
            if (textLengths == null) return otherwise;
            if (textLengths.length != 2) throw new InvalidSettingException("textLength", "takes two lengths, Q->A and QA->R (e.g. 60,80), got " + textLengths.length);
            return textLengths[task];
        }
    }
}
