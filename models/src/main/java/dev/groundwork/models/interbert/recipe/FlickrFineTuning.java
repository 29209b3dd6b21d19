package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.WarmupConstant;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.InterBertWeights;
import dev.groundwork.models.interbert.data.FeatureLmdb;
import dev.groundwork.models.interbert.data.FlickrRetrieval;
import dev.groundwork.models.interbert.data.FlickrSplit;
import dev.groundwork.models.interbert.data.HardNegatives;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.train.DataParallel;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.OptimizerFactory;
import dev.groundwork.models.train.Schedule;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Flickr30K fine-tuning end to end (spec 4.2, 4.4): {@link InterBertForVLTasks} from the pretrained weights
 * (only the VL heads fresh), four pairs per caption ({@link FlickrRetrieval}, hard captions from
 * {@code hard_negative.pkl}), BertAdam with one lr for every tensor, warmup-constant over 10 % of
 * t_total = batches per epoch × epochs, times 0.1 at each milestone epoch (both as one per-step
 * {@link WarmupConstant}, its milestones in steps: the epoch's first step, as the original's epoch
 * LambdaLR), and the EMA after every step ({@link Trainer}: used for validation on {@code val_set0}, saved
 * as {@code best_ema.safetensors}). Validation pairs use random images for the fourth pair, as the
 * original's val split does.
 */
public final class FlickrFineTuning {
    /** The trainer label, stamped into its checkpoints ({@link dev.groundwork.models.train.TrainedTask}). */
    public static final String TASK = "interbert-flickr";

    /** The VL tasks' {@code vil_prediction} width for retrieval and VCR (the original's num_labels). */
    public static final int NUM_LABELS = 1;

    private FlickrFineTuning() {}

    public static Trainer.Result run(FlickrSettings s, PrintStream log, StopRequest stop) throws IOException, DataException {
        return run(s, log, stop, DataParallel.none());
    }

    /**
     * As one rank of {@code dp}: {@code s.batchSize()} captions is the global batch, each rank loads its
     * {@link Shard} of it, so t_total = batches per epoch × epochs is each rank's loader length times the
     * epochs, as the original computes it under DistributedSampler (spec 4.1).
     */
    public static Trainer.Result run(FlickrSettings s, PrintStream log, StopRequest stop, DataParallel dp) throws IOException, DataException {
        RunOptions r = s.run();
        Files.createDirectories(r.expDir());
        BertTokenizer tok = BertTokenizer.load(s.vocab());
        try (FeatureLmdb features = FeatureLmdb.open(s.data().resolve(FlickrSettings.FEATURES), 0)) {
            InterBertConfig config = s.size().config(s.config(), tok.vocab().size(), features.featureSize(), s.regionClasses(), false);
            FlickrSplit train = FlickrSplit.read(s.split("train"));
            Path valFile = s.split("val_set0");
            FlickrSplit val = Files.exists(valFile) ? FlickrSplit.read(valFile) : null;
            HardNegatives hard = HardNegatives.read(s.data().resolve(FlickrSettings.HARD));
            Generator gen = new Generator(r.seed());
            InterBertForVLTasks model = vlModel(config, gen, s.init(), s.headDropout(), log);
            log.printf("interbert-flickr: %d captions of %d images, seed %d%n", train.captions().size(), train.images().size(), r.seed());
            Device d = r.device();
            try (BatchSource<InterBertBatches.Pairs> t = RecipeData.source(r,
                    new FlickrRetrieval(train, features, hard, tok, s.textLength(), s.regions()), train.file(), "train",
                    InterBertBatches::pairs, s.batchSize(), true, false, new Shard(dp.rank(), dp.size()), b -> RecipeData.move(b, d));
                 BatchSource<InterBertBatches.Pairs> v = val == null ? null : RecipeData.source(r,
                         new FlickrRetrieval(val, features, null, tok, s.textLength(), s.regions()), val.file(), "val",
                         InterBertBatches::pairs, RecipeData.perRank(s.batchSize(), dp.size()), false, false, b -> RecipeData.move(b, d))) {
                long spe = t.batchesPerEpoch(), total = spe * s.epochs();
                int[] ms = s.milestones();
                long[] steps = new long[ms.length];
                for (int i = 0; i < ms.length; i++) steps[i] = ms[i] * spe;
                long warm = Math.round(s.warmup() * total);
                log.printf("interbert-flickr: t_total %d = %d batches per epoch x %d epochs (the same on any number of processes), warm-up %d steps%n",
                        total, spe, s.epochs(), warm);
                Schedule schedule = Schedule.perStep(new WarmupConstant(warm, 0.1, steps));
                OptimizerFactory opt = OptimizerFactory.bertAdam(BertAdam.Options.of(s.lr()).withWeightDecay(s.weightDecay()));
                TrainerConfig tc = new TrainerConfig(s.epochs(), opt, schedule, r.expDir(), r.resume(), log, TASK,
                        r.logEverySteps(), r.maxSteps(), r.saveEverySteps(), stop, s.recorded()).withEma(s.emaDecay()).withParallel(dp);
                if (!d.equals(Device.CPU)) model.to(d);
                return new Trainer<>(new FlickrTask(model, gen, s), t, v, tc).fit();
            }
        }
    }

    /**
     * The fine-tuning network with {@code init}'s weights: a pretraining checkpoint (ours or the original's)
     * with only the four VL heads fresh, or a fine-tuned one whole, {@code headDropout} in front of its heads;
     * the load report goes to {@code log}.
     */
    static InterBertForVLTasks vlModel(InterBertConfig config, Generator gen, Path init, double headDropout, PrintStream log) throws IOException {
        InterBertForVLTasks model = new InterBertForVLTasks(config, NUM_LABELS, headDropout, gen);
        if (init != null) {
            try {
                log.println(InterBertWeights.fineTuneFrom(model, init).summary());
            } catch (RuntimeException e) {
                throw new InvalidSettingException("init", "cannot start fine-tuning from " + init + ": " + e.getMessage());
            }
        }
        return model;
    }
}
