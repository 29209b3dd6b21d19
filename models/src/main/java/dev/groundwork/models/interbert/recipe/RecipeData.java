package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.BadRecords;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.data.Dataset;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.interbert.InterBertInputs;
import dev.groundwork.models.interbert.PretrainingLabels;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.LoaderSource;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the InterBERT recipes meet the data layer: every record screened before the first step under the
 * run's bad-record policy (the bad ones listed in {@code EXP/bad-records-<name>.txt}), the loader's options
 * (training shuffled each epoch from the run's seed, validation in file order) and the device move.
 *
 * <p>Data-parallel: {@code batchSize} is the global batch; a rank loads its {@link Shard} of each global batch
 * (the original's fine-tuning divides its yml batch by the world size and uses {@code DistributedSampler},
 * which pads the tail as the shard does), and validation runs whole on every rank.
 */
final class RecipeData {
    private RecipeData() {}

    static <T, B> BatchSource<B> source(RunOptions run, Dataset<T> ds, Path index, String name, Function<List<T>, B> collate,
                                        int batchSize, boolean train, boolean dropLast, UnaryOperator<B> move) throws DataException {
        return source(run, ds, index, name, collate, batchSize, train, dropLast, Shard.WHOLE, move);
    }

    /** As above, this rank's {@code shard} of each global batch of {@code batchSize} (which must divide over the ranks). */
    static <T, B> BatchSource<B> source(RunOptions run, Dataset<T> ds, Path index, String name, Function<List<T>, B> collate,
                                        int batchSize, boolean train, boolean dropLast, Shard shard, UnaryOperator<B> move) throws DataException {
        DataLoader.Options o = DataLoader.Options.of(perRank(batchSize, shard.size()), run.seed()).shuffle(train).dropLast(dropLast).shard(shard);
        return source(run, ds, index, name, collate, o, move);
    }

    /** A loader of {@code ds} with options {@code o} (the run's workers and bad-record policy added). */
    static <T, B> BatchSource<B> source(RunOptions run, Dataset<T> ds, Path index, String name, Function<List<T>, B> collate,
                                        DataLoader.Options o, UnaryOperator<B> move) throws DataException {
        Dataset<T> screened = BadRecords.screen(ds, index, run.badRecords(), run.expDir().resolve("bad-records-" + name + ".txt"),
                line -> { System.err.println(line); System.err.flush(); });
        DataLoader.Options opts = o.workers(run.workers()).policy(run.badRecords());
        return new LoaderSource<>(new DataLoader<>(screened, collate, opts), run.device().equals(Device.CPU) ? UnaryOperator.identity() : move);
    }

    /** Each rank's share of the global batch. */
    static int perRank(int globalBatch, int ranks) {
        if (ranks > 1 && globalBatch % ranks != 0)
            throw new InvalidSettingException("batchSize", "is the global batch and must divide evenly over the " + ranks + " processes, got " + globalBatch);
        return globalBatch / ranks;
    }

    static InterBertInputs move(InterBertInputs in, Device d) {
        return new InterBertInputs(in.inputIds().to(d), in.tokenTypeIds() == null ? null : in.tokenTypeIds().to(d), in.inputMask().to(d),
                in.imageFeat().to(d), in.imageLoc().to(d), in.imageMask().to(d));
    }

    static InterBertBatches.Pretraining move(InterBertBatches.Pretraining b, Device d) {
        PretrainingLabels l = b.labels();
        return new InterBertBatches.Pretraining(move(b.inputs(), d),
                new PretrainingLabels(l.lmLabelIds().to(d), l.imageLabel(), l.imageTarget().to(d), l.isNext().to(d)), b.imageIds());
    }

    static InterBertBatches.Pairs move(InterBertBatches.Pairs b, Device d) {
        Tensor t = b.targets().to(d);
        return new InterBertBatches.Pairs(move(b.inputs(), d), t, b.ids());
    }
}
