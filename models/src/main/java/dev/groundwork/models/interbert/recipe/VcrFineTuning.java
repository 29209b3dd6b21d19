package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.WarmupConstant;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.interbert.data.VcrAnnotations;
import dev.groundwork.models.interbert.data.VcrTask;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.train.DataParallel;
import dev.groundwork.models.train.OptimizerFactory;
import dev.groundwork.models.train.Schedule;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * VCR fine-tuning end to end (spec 4.3, 4.4): {@link InterBertForVLTasks} from the pretrained weights, Q→A
 * and QA→R batches interleaved ({@link VcrJointSource}: two optimizer steps and two EMA updates per
 * iteration), one shared {@code vil_logit} head, 4-way cross entropy, BertAdam with one lr,
 * warmup-constant over 10 % of t_total = iterations × epochs (counted in optimizer steps, so it ends after
 * about 5 % of the iterations as in the original, spec 8.17), EMA weights for validation on {@code val.jsonl}
 * and in {@code best_ema.safetensors}.
 */
public final class VcrFineTuning {
    /** The trainer label, stamped into its checkpoints ({@link dev.groundwork.models.train.TrainedTask}). */
    public static final String TASK = "interbert-vcr";

    private VcrFineTuning() {}

    public static Trainer.Result run(VcrSettings s, PrintStream log, StopRequest stop) throws IOException, DataException {
        return run(s, log, stop, DataParallel.none());
    }

    /**
     * As one rank of {@code dp}: {@code s.batchSize()} questions per task is the global batch, each rank loads
     * its {@link Shard} of both tasks' batches; iterations per epoch (and so t_total) are each rank's longer
     * loader, as the original's {@code max(task_num_iters)} under DistributedSampler (spec 4.1).
     */
    public static Trainer.Result run(VcrSettings s, PrintStream log, StopRequest stop, DataParallel dp) throws IOException, DataException {
        RunOptions r = s.run();
        Shard shard = new Shard(dp.rank(), dp.size());
        Files.createDirectories(r.expDir());
        BertTokenizer tok = BertTokenizer.load(s.vocab());
        try (VcrData data = new VcrData(s, tok)) {
            InterBertConfig config = s.size().config(s.config(), tok.vocab().size(), data.detected.featureSize(), s.regionClasses(), false);
            Generator gen = new Generator(r.seed());
            InterBertForVLTasks model = FlickrFineTuning.vlModel(config, gen, s.init(), s.headDropout(), log);
            VcrAnnotations train = data.annotations("train");
            boolean hasVal = Files.exists(s.data().resolve("val.jsonl"));
            VcrAnnotations val = hasVal ? data.annotations("val") : null;
            log.printf("interbert-vcr: %d train questions, Q->A and QA->R jointly, seed %d%n", train.questions().size(), r.seed());
            Device d = r.device();
            try (VcrJointSource t = new VcrJointSource(source(s, data.task(train, VcrTask.Kind.Q_A), train, "train-qa", shard, dp.size()),
                    source(s, data.task(train, VcrTask.Kind.QA_R), train, "train-qar", shard, dp.size()));
                 VcrJointSource v = !hasVal ? null : new VcrJointSource(source(s, data.task(val, VcrTask.Kind.Q_A), val, "val-qa", null, dp.size()),
                         source(s, data.task(val, VcrTask.Kind.QA_R), val, "val-qar", null, dp.size()))) {
                long total = (long) t.iterationsPerEpoch() * s.epochs();
                long warm = Math.round(s.warmup() * total);
                log.printf("interbert-vcr: t_total %d = %d iterations per epoch x %d epochs (the same on any number of processes; two optimizer steps per iteration), warm-up %d steps%n",
                        total, t.iterationsPerEpoch(), s.epochs(), warm);
                Schedule schedule = Schedule.perStep(new WarmupConstant(warm));
                OptimizerFactory opt = OptimizerFactory.bertAdam(BertAdam.Options.of(s.lr()).withWeightDecay(s.weightDecay()));
                TrainerConfig tc = new TrainerConfig(s.epochs(), opt, schedule, r.expDir(), r.resume(), log, TASK,
                        r.logEverySteps(), r.maxSteps(), r.saveEverySteps(), stop, s.recorded()).withEma(s.emaDecay()).withParallel(dp);
                if (!d.equals(Device.CPU)) model.to(d);
                return new Trainer<>(new VcrJointTask(model, gen, s), t, v, tc).fit();
            }
        }
    }

    /** Training batches (this rank's {@code shard} of each, shuffled) or, with a null shard, validation (whole, in file order). */
    private static BatchSource<InterBertBatches.Pairs> source(VcrSettings s, VcrTask task, VcrAnnotations a, String name, Shard shard, int ranks)
            throws DataException {
        boolean train = shard != null;
        // Validation batches are as large as a rank's training ones: every rank runs the whole set.
        int batch = train ? s.batchSize() : RecipeData.perRank(s.batchSize(), ranks);
        return RecipeData.source(s.run(), task, a.file(), name, InterBertBatches::pairs, batch, train, false,
                train ? shard : Shard.WHOLE, b -> RecipeData.move(b, s.run().device()));
    }
}
