package dev.groundwork.models.train;

import dev.groundwork.engine.dist.MpiCommunicator;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.data.ConcapLmdb;
import dev.groundwork.models.interbert.data.ConcapPretraining;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.interbert.recipe.ModelSize;
import dev.groundwork.models.interbert.recipe.ParamGroups;
import dev.groundwork.models.interbert.recipe.PretrainSettings;
import dev.groundwork.models.interbert.recipe.Pretraining;
import dev.groundwork.models.interbert.recipe.RunOptions;
import dev.groundwork.models.text.BertTokenizer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One rank of {@link InterBertDataParallelTest}, under mpirun. {@code check DATA VOCAB}: the rank's
 * pretraining batch, loaded through its {@link Shard} of the global batch, is rows [r·b, (r+1)·b) of the
 * batch one process loads (masking and ITM pairs drawn per record, never per rank); then this rank's
 * step on it, with the MLM/MRM means over the global batch and gradients averaged over ranks, against the
 * single-process step on the whole batch that every rank also computes (loss and every gradient within fp32
 * tolerance, dropout off). {@code train DATA VOCAB DIR MAXSTEPS RESUME}: the recipe ({@link Pretraining#run}) as one rank.
 * {@code die DATA VOCAB DIR}: rank 1 dies inside its first backward pass. Several commands run one after another in one launch.
 */
public final class InterBertDataParallelMain {
    public static void main(String[] args) throws Exception {
        MpiCommunicator comm = MpiCommunicator.world(60);
        DataParallel dp = DataParallel.overlapping(comm);
        DataParallelFixtures.asRank(dp.comm(), () -> {
            for (int i = 0; i < args.length; ) {
                Path data = Path.of(args[i + 1]), vocab = Path.of(args[i + 2]);
                switch (args[i]) {
                    case "check" -> {
                        check(dp, data, vocab);
                        i += 3;
                    }
                    case "train" -> {
                        PrintStream log = dp.writer() ? System.out : new PrintStream(new ByteArrayOutputStream());
                        RunOptions run = RunOptions.of(Path.of(args[i + 3]), 7).withMaxSteps(Long.parseLong(args[i + 4]))
                                .withResume(Boolean.parseBoolean(args[i + 5]));
                        Trainer.Result r = Pretraining.run(settings(data, vocab, run), log, new StopRequest(), dp);
                        System.out.println("rank " + dp.rank() + ": trained to step " + r.steps());
                        i += 6;
                    }
                    case "die" -> {
                        // Rank 1 dies in the middle of its first backward pass (the first step reduces after the pass,
                        // so this hook is the one in force); rank 0 is then waiting in a collective of the step.
                        RunOptions run = RunOptions.of(Path.of(args[i + 3]), 7);
                        try (var hook = dev.groundwork.engine.autograd.Autograd.onGradReady(leaf -> {
                            if (dp.rank() == 1) Runtime.getRuntime().halt(7);
                        })) {
                            Pretraining.run(settings(data, vocab, run), System.out, new StopRequest(), dp);
                        }
                        System.out.println("rank " + dp.rank() + ": trained on without rank 1");
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        });
    }

    /**
     * The demo network, 2 epochs of 2 global batches of 12 (the synthetic store's 27 records, the tail dropped),
     * the ITM loss weighted 0: the one dropout of the demo network (the fusion's, hard-coded at 0.1) feeds only the
     * ITM head, so its per-rank masks then change nothing and runs on 1 and 2 processes must agree.
     */
    static PretrainSettings settings(Path data, Path vocab, RunOptions run) {
        PretrainSettings d = PretrainSettings.defaults(data, vocab, run);
        return new PretrainSettings(d.data(), d.vocab(), null, ModelSize.DEMO, null, 1e-3, 12, 2, 0.1, true, false, 1, 1, 0,
                d.weightDecayRule(), d.weightDecay(), ParamGroups.BERT_LR_FACTOR, -1, 16, 8, d.run());
    }

    private static void check(DataParallel dp, Path data, Path vocab) throws Exception {
        PretrainSettings s = settings(data, vocab, RunOptions.of(data.resolve("unused"), 7));
        int global = s.batchSize(), per = global / dp.size();
        BertTokenizer tok = BertTokenizer.load(vocab);
        try (ConcapLmdb store = ConcapLmdb.open(data.resolve(PretrainSettings.TRAIN_ALL), 0, 0)) {
            ConcapPretraining ds = new ConcapPretraining(store, data.resolve(PretrainSettings.CAPTIONS_TRAIN), tok,
                    new ConcapPretraining.Options(s.maxSeqLength(), s.regions(), s.spanMask(), s.predictFeature()));
            DataLoader.Options o = DataLoader.Options.of(global, 7).dropLast(true);
            InterBertBatches.Pretraining all = new DataLoader<>(ds, InterBertBatches::pretraining, o).epoch(1).next();
            InterBertBatches.Pretraining mine = new DataLoader<>(ds, InterBertBatches::pretraining,
                    DataLoader.Options.of(per, 7).dropLast(true).shard(new Shard(dp.rank(), dp.size()))).epoch(1).next();
            sameRows(all.inputs().inputIds(), mine.inputs().inputIds(), dp.rank() * per, "input_ids");
            sameRows(all.labels().lmLabelIds(), mine.labels().lmLabelIds(), dp.rank() * per, "lm_label_ids");
            sameRows(all.labels().isNext(), mine.labels().isNext(), dp.rank() * per, "is_next");
            sameRows(all.inputs().imageFeat(), mine.inputs().imageFeat(), dp.rank() * per, "image_feat (masked)");
            System.out.println("rank " + dp.rank() + ": its shard of the global pretraining batch is rows " + dp.rank() * per + ".." + ((dp.rank() + 1) * per - 1) + " of it");
            // Dropout off on both sides (eval mode): the fusion's hard-coded Dropout(0.1) draws per-rank masks by design
            // (as separate GPUs do), so only a step without it can equal the single process's. Sampling is not fixed:
            // it is rank-consistent by construction, checked row by row above.
            var config = s.size().config(null, tok.vocab().size(), store.featureSize(), store.classes(), false);
            InterBertForMultiModalPreTraining reference = new InterBertForMultiModalPreTraining(config, new Generator(3));
            InterBertForMultiModalPreTraining replica = new InterBertForMultiModalPreTraining(config, new Generator(3 + 100L * dp.rank()));
            reference.eval();
            replica.eval();
            DataParallelMain.compare("InterBERT pretraining", dp, reference, replica,
                    m -> m.losses(m.forward(all.inputs()), all.labels()).total(),
                    m -> m.losses(m.forward(mine.inputs()), mine.labels(), dp.comm()).total());
        }
    }

    private static void sameRows(Tensor all, Tensor mine, int from, String what) {
        Tensor rows = all.narrow(0, from, mine.size(0)).contiguous();
        if (!Arrays.equals(rows.toDoubleArray(), mine.toDoubleArray())) throw new AssertionError(what + " of this rank's shard differs from rows " + from + ".. of the global batch");
    }
}
