package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.train.DataParallel;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainerConfig;
import dev.groundwork.models.vgbert.Freezing;
import dev.groundwork.models.vgbert.GlobalNegatives;
import dev.groundwork.models.vgbert.RelationalModel;
import dev.groundwork.models.vgbert.TransferModel;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.ValidationRecall;
import dev.groundwork.models.vgbert.VisualPretrainTask;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * One VG-BERT stage end to end: build its model from the run's settings, take the previous stage's
 * weights ({@link Handoffs}), wire its data ({@link StageData}) and train it with the stage's optimizer
 * and schedule ({@link Stage}). The initialisation draws from one generator seeded by the run's seed,
 * in a fixed order, so a seed names one run.
 */
public final class StagePipeline {
    private StagePipeline() {}

    /** Trains the stage {@code s} names; hand-off summaries, warnings and progress go to {@code log}. */
    public static Trainer.Result run(RunSettings s, PrintStream log) throws IOException, DataException {
        return run(s, log, new StopRequest());
    }

    /** As {@link #run(RunSettings, PrintStream)}; {@code stop} (a signal, say) ends the run early with a resumable checkpoint. */
    public static Trainer.Result run(RunSettings s, PrintStream log, StopRequest stop) throws IOException, DataException {
        return run(s, log, stop, DataParallel.none(), GlobalNegatives.Mode.GLOBAL);
    }

    /**
     * As above, as one rank of {@code dp}: s.batchSize() is the global batch, each rank loads its part
     * ({@code data.Shard}); stage 2 and the transfer take their in-batch negatives from the global
     * batch or, with {@link GlobalNegatives.Mode#LOCAL}, from the rank's own part as the original's
     * DataParallel replicas did. Stage 3's pair negatives stay per rank (§9.14: per replica in the
     * original too). Which one a run used is kept with its settings.
     */
    public static Trainer.Result run(RunSettings s, PrintStream log, StopRequest stop, DataParallel dp, GlobalNegatives.Mode negatives)
            throws IOException, DataException {
        Generator gen = new Generator(s.seed());
        Map<String, String> recorded = new TreeMap<>(s.recorded());
        if (dp.distributed()) recorded.put("negatives", negatives.name().toLowerCase(java.util.Locale.ROOT));
        TrainerConfig tc = new TrainerConfig(s.epochs(), s.stage().optimizer(s.lr()), s.stage().schedule(), s.expDir(), s.resume(),
                log, s.stage().id(), s.logEverySteps(), s.maxSteps(), s.saveEverySteps(), stop, recorded, dp, 0);
        Shard shard = new Shard(dp.rank(), dp.size());
        Communicator global = dp.distributed() && negatives == GlobalNegatives.Mode.GLOBAL ? dp.comm() : null;
        return switch (s.stage()) {
            case VISUAL -> {
                var train = StageData.images(s, s.dataTrain(), true, shard);
                try (var t = train.source(); var v = s.dataVal() == null ? null : StageData.images(s, s.dataVal(), false, Shard.WHOLE).source()) {
                    var task = new VisualPretrainTask(s.config(), s.preset().visualHidden(), train.classes(), gen);
                    checkMemory(s, task.model(), log, dp.size());
                    Handoffs.pretrained(s, task.model(), null, log);
                    yield fit(task, t, v, tc, s.device());
                }
            }
            case TWO_STREAM -> {
                TwoStreamModel m = new TwoStreamModel(s.config(), s.learnableLayers(), gen).globalNegatives(global)
                        .validationRecall(s.valRecall(), ValidationRecall.selection(s.selectBy()));
                backbone(s, m);
                checkMemory(s, m, log, dp.size());
                Handoffs.pretrained(s, m.submodule("image_model"), m.languageModel().bert(), log);
                Handoffs.load(s.stage(), m, s.loadPretrained(), log);
                try (var t = captions(s, true, shard); var v = captions(s, false, Shard.WHOLE)) {
                    yield fit(m, t, v, tc, s.device());
                }
            }
            case RELATIONAL -> {
                RelationalModel m = new RelationalModel(s.config(), s.learnableLayers(), gen);
                backbone(s, m);
                checkMemory(s, m, log, dp.size());
                Handoffs.load(s.stage(), m, s.loadPretrained(), log);
                BertTokenizer tok = BertTokenizer.load(s.vocab());
                try (BatchSource<RelationBatch> v = s.dataVal() == null ? null : StageData.relations(s, tok, s.dataVal(), false, Shard.WHOLE);
                     var t = StageData.relations(s, tok, s.dataTrain(), true, shard)) {
                    yield fit(m, t, v, tc, s.device());
                }
            }
            case RETRIEVAL -> {
                TransferModel m = new TransferModel(s.config(), gen).globalNegatives(global)
                        .validationRecall(s.valRecall(), ValidationRecall.selection(s.selectBy()));
                checkMemory(s, m, log, dp.size());
                Handoffs.load(s.stage(), m, s.loadPretrained(), log);
                try (var t = captions(s, true, shard); var v = captions(s, false, Shard.WHOLE)) {
                    yield fit(m, t, v, tc, s.device());
                }
            }
        };
    }

    /** trainBackbone (off by default): {@link Freezing#unfreezePretrained}. */
    private static void backbone(RunSettings s, Module m) {
        if (s.trainBackbone()) Freezing.unfreezePretrained(m, s.config().bert().numHiddenLayers(), s.learnableLayers());
    }

    /** The train or the validation captions; null when the run has no validation index. */
    private static BatchSource<CaptionBatch> captions(RunSettings s, boolean train, Shard shard) throws IOException, DataException {
        var f = train ? s.dataTrain() : s.dataVal();
        return f == null ? null : StageData.captions(s, BertTokenizer.load(s.vocab()), f, train, shard);
    }

    /**
     * On the CPU, a batch whose calibrated memory estimate ({@link MemoryEstimate}) exceeds the heap stops here,
     * before the first step, with the estimate and the flags to change. Each of {@code ranks} processes holds
     * its share of the global batch.
     */
    private static void checkMemory(RunSettings s, Module model, PrintStream log, int ranks) {
        if (!s.device().equals(Device.CPU)) return;
        MemoryEstimate m = MemoryEstimate.of(s, model);
        long heap = Runtime.getRuntime().maxMemory();
        int batch = Math.max(1, s.batchSize() / ranks);
        String refusal = m.refusal(batch, heap);
        if (refusal != null) throw new InvalidSettingException("batchSize", refusal);
        log.printf(java.util.Locale.ROOT, "memory: about %s for a step at batch %d by the calibrated estimate; the heap may grow to %s%n",
                MemoryEstimate.gib(m.at(batch)), batch, MemoryEstimate.gib(heap));
    }

    private static <B> Trainer.Result fit(StageTask<B> task, BatchSource<B> train, BatchSource<B> val, TrainerConfig tc, Device device)
            throws IOException {
        if (!device.equals(Device.CPU)) task.model().to(device);
        return new Trainer<>(task, train, val, tc).fit();
    }
}
