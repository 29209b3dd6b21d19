package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.WarmupLinear;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertWeights;
import dev.groundwork.models.interbert.data.ConcapLmdb;
import dev.groundwork.models.interbert.data.ConcapPretraining;
import dev.groundwork.models.interbert.data.InterBertBatches;
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
 * InterBERT pretraining end to end (spec 2): the stores and captions of {@link PretrainSettings#data},
 * samples as coded ({@link ConcapPretraining}), the network of the chosen size (from bert-base when
 * asked), BertAdam (betas 0.9/0.999, eps 1e-6, no bias correction, each tensor's gradient clipped to norm
 * 1.0) with {@link ParamGroups#pretraining}'s groups and warmup-linear over t_total = ⌊N / B⌋ × epochs
 * updates, as the original computes it (tensorpack's batches drop the last partial one, so do these). Each
 * epoch is a shuffled pass over every record (spec 8.8's recommendation), followed by the validation
 * losses on {@code validation_all.lmdb} and an atomic checkpoint ({@link Trainer}: bit-exact resume on the
 * CPU). The model's initialisation and dropout draw from a generator of the run's seed, which is logged.
 */
public final class Pretraining {
    private Pretraining() {}

    public static Trainer.Result run(PretrainSettings s, PrintStream log, StopRequest stop) throws IOException, DataException {
        return run(s, log, stop, DataParallel.none());
    }

    /**
     * As one rank of {@code dp}: {@code s.batchSize()} is the global batch. When every rank has its
     * {@code training_feat_part_{rank}.lmdb} (spec 8.9, the original's pre-sharded layout), each reads its own
     * part with the per-rank batch; otherwise every rank reads {@code training_feat_all.lmdb} and loads its
     * {@link Shard} of each global batch, so N processes compute the steps of one process with the whole
     * batch (the MLM and MRM means over the global batch, see {@link dev.groundwork.models.interbert.PretrainingLosses}).
     */
    public static Trainer.Result run(PretrainSettings s, PrintStream log, StopRequest stop, DataParallel dp) throws IOException, DataException {
        Files.createDirectories(s.run().expDir());
        BertTokenizer tok = BertTokenizer.load(s.vocab());
        PretrainShards shards = PretrainShards.choose(s, dp);
        try (ConcapLmdb train = ConcapLmdb.open(shards.store(), 0, 0);
             ConcapLmdb val = Files.exists(s.data().resolve(PretrainSettings.VAL)) ? ConcapLmdb.open(s.data().resolve(PretrainSettings.VAL), train.featureSize(), train.classes()) : null) {
            InterBertConfig config = s.size().config(s.config(), tok.vocab().size(), train.featureSize(), train.classes(), s.predictFeature());
            ConcapPretraining.Options o = new ConcapPretraining.Options(s.maxSeqLength(), s.regions(), s.spanMask(), s.predictFeature());
            log.printf("interbert-pretrain: %s (%d records), seed %d, %s model%s%n", shards.store(), train.size(), s.run().seed(),
                    s.config() == null ? s.size().id() : s.config().toString(), shards.describe());
            ConcapPretraining trainSet = new ConcapPretraining(train, s.data().resolve(PretrainSettings.CAPTIONS_TRAIN), tok, o);
            Generator gen = new Generator(s.run().seed());
            InterBertForMultiModalPreTraining model = new InterBertForMultiModalPreTraining(config, gen);
            if (s.fromBert() != null) log.println(InterBertWeights.fromBert(model, s.fromBert()).summary());
            try (BatchSource<InterBertBatches.Pretraining> t = shards.equalise(RecipeData.source(s.run(), trainSet, shards.store(), shards.name(),
                    InterBertBatches::pretraining, shards.loading(s), b -> RecipeData.move(b, s.run().device())), log);
                 BatchSource<InterBertBatches.Pretraining> v = val == null ? null : RecipeData.source(s.run(),
                         new ConcapPretraining(val, s.data().resolve(PretrainSettings.CAPTIONS_VAL), tok, o), val.path(), "val",
                         InterBertBatches::pretraining, shards.batch(), false, false, b -> RecipeData.move(b, s.run().device()))) {
                if (t.batchesPerEpoch() == 0)
                    throw new dev.groundwork.models.train.InvalidSettingException("batchSize", "is " + s.batchSize() + " but "
                            + shards.store() + " holds only " + train.size() + " records: not one full batch" + (dp.distributed() ? " per process" : ""));
                // t_total as train_concap.py computes it: int(num_dataset / train_batch_size) x epochs, from this rank's
                // records and batch (spec 2.5, 8.9); with every rank reading the whole store through its shard, that is
                // the global records over the global batch. Either way, the batches each rank trains per epoch.
                long total = (long) t.batchesPerEpoch() * s.epochs();
                Schedule schedule = Schedule.perStep(new WarmupLinear(Math.round(s.warmup() * total), total));
                OptimizerFactory opt = OptimizerFactory.bertAdam(BertAdam.Options.of(s.lr()).withWeightDecay(s.weightDecay()));
                RunOptions r = s.run();
                TrainerConfig tc = new TrainerConfig(s.epochs(), opt, schedule, r.expDir(), r.resume(), log, "interbert-pretrain",
                        r.logEverySteps(), r.maxSteps(), r.saveEverySteps(), stop, shards.recorded(s), dp, 0);
                if (!r.device().equals(dev.groundwork.engine.tensor.Device.CPU)) model.to(r.device());
                return new Trainer<>(new PretrainTask(model, gen, s, dp.distributed() ? dp.comm() : null), t, v, tc).fit();
            }
        }
    }
}
