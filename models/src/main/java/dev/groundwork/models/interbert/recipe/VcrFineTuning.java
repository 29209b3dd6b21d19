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
import dev.groundwork.models.train.BatchSource;
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
    private VcrFineTuning() {}

    public static Trainer.Result run(VcrSettings s, PrintStream log, StopRequest stop) throws IOException, DataException {
        RunOptions r = s.run();
        Files.createDirectories(r.expDir());
        BertTokenizer tok = BertTokenizer.load(s.vocab());
        try (VcrData data = new VcrData(s, tok)) {
            InterBertConfig config = s.size().config(s.config(), tok.vocab().size(), data.detected.featureSize(), s.regionClasses(), false);
            Generator gen = new Generator(r.seed());
            InterBertForVLTasks model = FlickrFineTuning.vlModel(config, gen, s.init(), log);
            VcrAnnotations train = data.annotations("train");
            boolean hasVal = Files.exists(s.data().resolve("val.jsonl"));
            VcrAnnotations val = hasVal ? data.annotations("val") : null;
            log.printf("interbert-vcr: %d train questions, Q->A and QA->R jointly, seed %d%n", train.questions().size(), r.seed());
            Device d = r.device();
            try (VcrJointSource t = new VcrJointSource(source(s, data.task(train, VcrTask.Kind.Q_A), train, "train-qa", true),
                    source(s, data.task(train, VcrTask.Kind.QA_R), train, "train-qar", true));
                 VcrJointSource v = !hasVal ? null : new VcrJointSource(source(s, data.task(val, VcrTask.Kind.Q_A), val, "val-qa", false),
                         source(s, data.task(val, VcrTask.Kind.QA_R), val, "val-qar", false))) {
                long total = (long) t.iterationsPerEpoch() * s.epochs();
                Schedule schedule = Schedule.perStep(new WarmupConstant(Math.round(s.warmup() * total)));
                OptimizerFactory opt = OptimizerFactory.bertAdam(BertAdam.Options.of(s.lr()).withWeightDecay(s.weightDecay()));
                TrainerConfig tc = new TrainerConfig(s.epochs(), opt, schedule, r.expDir(), r.resume(), log, "interbert-vcr",
                        r.logEverySteps(), r.maxSteps(), r.saveEverySteps(), stop, s.recorded()).withEma(s.emaDecay());
                if (!d.equals(Device.CPU)) model.to(d);
                return new Trainer<>(new VcrJointTask(model, gen, s), t, v, tc).fit();
            }
        }
    }

    private static BatchSource<InterBertBatches.Pairs> source(VcrSettings s, VcrTask task, VcrAnnotations a, String name, boolean train)
            throws DataException {
        return RecipeData.source(s.run(), task, a.file(), name, InterBertBatches::pairs, s.batchSize(), train, false,
                b -> RecipeData.move(b, s.run().device()));
    }
}
