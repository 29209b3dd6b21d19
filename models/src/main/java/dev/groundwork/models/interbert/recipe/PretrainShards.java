package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.data.Shard;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.train.DataParallel;
import dev.groundwork.models.train.InvalidSettingException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Which pretraining records one process reads, and how:
 * <ul>
 *   <li>one process: {@link PretrainSettings#trainStore()} ({@code training_feat_all.lmdb}, or with
 *   {@code --local-rank N} that part when present), the whole batch;</li>
 *   <li>N data-parallel ranks that each find their {@code training_feat_part_{rank}.lmdb} (spec 8.9, the
 *   original's layout): rank r reads its own part with the per-rank batch B/N, shuffled from a stream of its
 *   own (the same seed on every part would draw the same masks for the k-th record of each). Parts of unequal
 *   sizes give unequal batch counts; the original's ranks would then stop at different steps, and a
 *   collective would wait forever. Every rank trains the smallest part's count instead (said in the log);</li>
 *   <li>N ranks and no parts: every rank reads {@code training_feat_all.lmdb} and loads its {@link Shard} of
 *   each global batch. Each record's masking and ITM pair come from a stream of (seed, epoch, record)
 *   ({@link DataLoader#itemGenerator}), never of the rank, so the ranks together load exactly the batch
 *   one process would: a run resumes on any number of processes.</li>
 * </ul>
 * Parts present for some ranks only are refused: mixing the layouts would train some records twice.
 */
record PretrainShards(Path store, String name, Shard shard, int batch, long seed, boolean parts, DataParallel dp) {
    static PretrainShards choose(PretrainSettings s, DataParallel dp) {
        long seed = s.run().seed();
        if (!dp.distributed()) return new PretrainShards(s.trainStore(), "train", Shard.WHOLE, s.batchSize(), seed, false, dp);
        int rank = dp.rank(), n = dp.size();
        InvalidSettingException.check(s.rank() == -1 || s.rank() == rank, "rank", "is " + s.rank() + " but this process is rank " + rank + " of " + n
                + ": under mpirun or gw launch the rank comes from the launcher (leave --local-rank out)");
        int batch = RecipeData.perRank(s.batchSize(), n);
        Path part = part(s.data(), rank);
        boolean mine = Files.exists(part);
        long found;
        try (Tensor c = Tensor.ofLongs(new long[]{mine ? 1 : 0}, 1)) {
            dp.comm().allReduce(c, ReduceOp.SUM);
            found = c.toLongArray()[0];
        }
        if (found == n) return new PretrainShards(part, "train-part-" + rank, Shard.WHOLE, batch, DataParallel.derive(seed, rank), true, dp);
        InvalidSettingException.check(found == 0, "data", "holds training_feat_part_{rank}.lmdb for " + found + " of the " + n + " processes ("
                + (mine ? "this rank's is there" : part.getFileName() + " is missing") + "): give every rank its part, or remove them so that every rank reads "
                + PretrainSettings.TRAIN_ALL);
        return new PretrainShards(s.data().resolve(PretrainSettings.TRAIN_ALL), "train", new Shard(rank, n), batch, seed, false, dp);
    }

    static Path part(Path data, int rank) { return data.resolve("training_feat_part_" + rank + ".lmdb"); }

    /** The training loader's options: shuffled each epoch, the last partial batch dropped (tensorpack's BatchData). */
    DataLoader.Options loading(PretrainSettings s) {
        return DataLoader.Options.of(batch, seed).shuffle(true).dropLast(true).shard(shard);
    }

    /** For the log line: how this rank takes its records. */
    String describe() {
        if (!dp.distributed()) return "";
        return parts ? String.format(", rank %d of %d: its own part, %d per step", dp.rank(), dp.size(), batch)
                : String.format(", rank %d of %d: part %d of each global batch of %d", dp.rank(), dp.size(), dp.rank() + 1, batch * dp.size());
    }

    /** What the checkpoint records of the layout: a run on parts resumes only on as many processes. */
    Map<String, String> recorded(PretrainSettings s) {
        Map<String, String> m = s.recorded();
        if (dp.distributed()) {
            m.put("trainStore", parts ? "training_feat_part_{rank}.lmdb" : PretrainSettings.TRAIN_ALL);
            if (parts) m.put("processes", Integer.toString(dp.size()));
        }
        return m;
    }

    /** On parts, every rank's batches per epoch cut to the smallest part's, so that all ranks step together. */
    <B> BatchSource<B> equalise(BatchSource<B> source, PrintStream log) {
        if (!parts) return source;
        long[] counts;
        try (Tensor mine = Tensor.ofLongs(new long[]{source.batchesPerEpoch()}, 1); Tensor all = dp.comm().allGather(mine)) {
            counts = all.toLongArray();
        }
        long min = Long.MAX_VALUE, max = 0;
        for (long c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        if (min == max) return source;
        if (dp.writer())
            log.printf("interbert-pretrain: the parts give %d to %d batches of %d per epoch; every rank trains %d per epoch (the smallest part's),"
                    + " so that no rank waits for another%n", min, max, batch, min);
        return new Capped<>(source, (int) min);
    }

    /** The first {@code n} batches of each epoch of {@code source}. */
    private record Capped<B>(BatchSource<B> source, int n) implements BatchSource<B> {
        public int batchesPerEpoch() { return n; }

        public Iterable<B> epoch(int epoch) {
            return () -> new Iterator<>() {
                final Iterator<B> it = source.epoch(epoch).iterator();
                int i;

                public boolean hasNext() { return i < n && it.hasNext(); }

                public B next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    i++;
                    return it.next();
                }
            };
        }

        public Map<String, dev.groundwork.engine.random.Generator> generators() { return source.generators(); }

        public void close() { source.close(); }
    }
}
