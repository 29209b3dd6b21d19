package dev.groundwork.models.train;

import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.dist.MpiCommunicator;
import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertForPreTraining;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.vgbert.TinyVgBert;
import dev.groundwork.models.vgbert.TwoStreamModel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One rank of {@link DataParallelTrainingTest}, under mpirun. {@code check}: for BERT pretraining and
 * the stage-2 model (global negatives), this rank's step on its part of the global batch, with
 * gradients averaged over ranks, against the single-process step on the whole batch that every rank
 * also computes: the loss and every gradient within fp32 tolerance. The replicas start from different
 * initialisations, so the broadcast of rank 0's weights is part of what is checked. {@code train DIR
 * MAXSTEPS RESUME}: a trainer run of {@link DataParallelFixtures#train}, then a check that every rank
 * holds the same weights bit for bit.
 */
public final class DataParallelMain {
    public static void main(String[] args) throws Exception {
        MpiCommunicator comm = MpiCommunicator.world(60);
        DataParallel dp = new DataParallel(comm);
        DataParallelFixtures.asRank(comm, () -> {
            for (int i = 0; i < args.length; ) {
                switch (args[i]) {
                    case "check" -> {
                        checkBert(dp);
                        checkStage2(dp);
                        checkOverlap(comm);
                        i++;
                    }
                    case "train" -> {
                        checkIdentical(comm, DataParallelFixtures.train(Path.of(args[i + 1]), Long.parseLong(args[i + 2]), Boolean.parseBoolean(args[i + 3]), dp));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        });
    }

    // ------------------------------------------------------------------ one step against the full batch

    private static void checkBert(DataParallel dp) {
        int per = 2, global = per * dp.size(), t = TinyVgBert.T, v = TinyVgBert.VOCAB;
        Generator g = new Generator(77);
        long[] ids = new long[global * t], labels = new long[global * t], nsp = new long[global];
        for (int i = 0; i < ids.length; i++) { ids[i] = 1 + g.nextInt(v - 1); labels[i] = g.nextInt(v); }
        for (int i = 0; i < global; i++) nsp[i] = g.nextInt(2);
        Tensor allIds = Tensor.ofLongs(ids, global, t), allLabels = Tensor.ofLongs(labels, global, t), allNsp = Tensor.ofLongs(nsp, global);
        BiFunction<BertForPreTraining, int[], Tensor> loss = (m, rows) -> {
            Tensor i = allIds.narrow(0, rows[0], rows[1]).contiguous();
            var out = m.forward(i, Tensor.zeros(dev.groundwork.engine.tensor.DType.I64, dev.groundwork.engine.tensor.Device.CPU, rows[1], t),
                    Tensor.full(1, dev.groundwork.engine.tensor.DType.I64, dev.groundwork.engine.tensor.Device.CPU, rows[1], t));
            Tensor mlm = Losses.crossEntropy(out.predictionLogits().reshape(rows[1] * t, v),
                    allLabels.narrow(0, rows[0], rows[1]).contiguous().reshape(rows[1] * t), -1, Losses.Reduction.MEAN);
            return mlm.add(Losses.crossEntropy(out.seqRelationshipLogits(), allNsp.narrow(0, rows[0], rows[1]).contiguous(), -1, Losses.Reduction.MEAN));
        };
        compare("BERT pretraining", dp, new BertForPreTraining(DataParallelFixtures.bertConfig(), new Generator(3)),
                new BertForPreTraining(DataParallelFixtures.bertConfig(), new Generator(3 + 100L * dp.rank())),
                m -> loss.apply(m, new int[]{0, global}), m -> loss.apply(m, new int[]{dp.rank() * per, per}));
    }

    private static void checkStage2(DataParallel dp) {
        int per = 2, global = per * dp.size();
        CaptionBatch all = TinyVgBert.captions(1, global, 31).getFirst();
        TwoStreamModel local = DataParallelFixtures.stage2(5 + 100L * dp.rank()).globalNegatives(dp.comm());
        CaptionBatch mine = DataParallelFixtures.rows(all, dp.rank() * per, per);
        compare("stage 2 (global negatives)", dp, DataParallelFixtures.stage2(5), local,
                m -> sum(m.losses(all)), m -> sum(m.losses(mine)));
    }

    private static Tensor sum(Tensor[] l) { return l[0].add(l[1]); }

    interface Loss<M> { Tensor of(M m); }

    static <M extends Module> void compare(String what, DataParallel dp, M reference, M replica, Loss<M> full, Loss<M> part) {
        Tensor refLoss = full.of(reference);
        refLoss.backward();
        dp.sameStart(replica);
        Tensor myLoss = part.of(replica);
        dp.backward(myLoss, replica.trainableParameters());
        Tensor l = Tensor.of(new double[]{myLoss.item()}, 1);
        dp.comm().allReduce(l, ReduceOp.AVERAGE);
        double want = refLoss.item(), got = l.item();
        if (Math.abs(got - want) > 1e-5 * (1 + Math.abs(want)))
            throw new AssertionError(what + ": loss over ranks " + got + ", single process " + want);
        Map<String, Tensor> ref = new LinkedHashMap<>(reference.namedTrainableParameters()), rep = replica.namedTrainableParameters();
        int checked = 0;
        for (var e : ref.entrySet()) {
            Tensor gr = e.getValue().grad(), gp = rep.get(e.getKey()).grad();
            if (gr == null && gp == null) continue;
            if (gr == null || gp == null) throw new AssertionError(what + ": " + e.getKey() + " has a gradient on one side only");
            float[] a = gr.toFloatArray(), b = gp.toFloatArray();
            double scale = 0;
            for (float x : a) scale = Math.max(scale, Math.abs(x));
            for (int i = 0; i < a.length; i++)
                if (Math.abs(a[i] - b[i]) > 1e-6 + 2e-4 * scale)
                    throw new AssertionError(what + ": grad of " + e.getKey() + "[" + i + "] is " + b[i] + " over ranks, " + a[i] + " in one process (scale " + scale + ")");
            checked++;
        }
        if (checked < 4) throw new AssertionError(what + ": only " + checked + " parameters had gradients");
        System.out.println("rank " + dp.rank() + ": " + what + " matches the single-process step (loss " + got + ", " + checked + " gradients)");
    }

    // ------------------------------------------------------------------ overlapped all-reduce

    /**
     * The stage-2 model (global negatives: collectives inside the backward pass too) with gradients all-reduced
     * during the backward pass, in 4 KiB buckets so that there are several, against the after-backward path with
     * the same buckets: the gradients equal bit for bit, and are bit-identical on every rank.
     */
    private static void checkOverlap(MpiCommunicator comm) {
        long bucket = 4 << 10;
        DataParallel after = new DataParallel(comm, false, bucket), over = new DataParallel(comm, true, bucket);
        int per = 2, global = per * comm.size();
        CaptionBatch all = TinyVgBert.captions(2, global, 41).getFirst();
        CaptionBatch mine = DataParallelFixtures.rows(all, comm.rank() * per, per);
        TwoStreamModel a = DataParallelFixtures.stage2(9).globalNegatives(after.comm()), b = DataParallelFixtures.stage2(9).globalNegatives(over.comm());
        after.sameStart(a);
        over.sameStart(b);
        java.util.List<Tensor> pa = a.trainableParameters(), pb = b.trainableParameters();
        // The first step learns the buckets (after the pass); the second overlaps.
        over.backward(sum(b.losses(mine)), pb);
        pb.forEach(Tensor::zeroGrad);
        after.backward(sum(a.losses(mine)), pa);
        over.backward(sum(b.losses(mine)), pb);
        int buckets = DataParallel.buckets(pb.stream().filter(p -> p.grad() != null).toList(), bucket).size();
        if (buckets < 3) throw new AssertionError("only " + buckets + " buckets: the check would not overlap anything");
        float[] ga = DataParallelFixtures.flat(grads(pa)).toFloatArray(), gb = DataParallelFixtures.flat(grads(pb)).toFloatArray();
        if (!Arrays.equals(ga, gb)) throw new AssertionError("overlapped gradients differ from the after-backward ones");
        Tensor every = comm.allGather(Tensor.of(gb, 1, gb.length));
        for (int k = 0; k < comm.size(); k++)
            if (!Arrays.equals(every.select(0, k).contiguous().toFloatArray(), gb))
                throw new AssertionError("overlapped gradients of rank " + k + " differ from rank " + comm.rank() + "'s");
        over.comm().barrier();
        System.out.println("rank " + comm.rank() + ": overlapped all-reduce equals the after-backward one bit for bit (" + buckets + " buckets, "
                + gb.length + " gradients), identical on all ranks");
    }

    private static Map<String, float[]> grads(java.util.List<Tensor> params) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) if (params.get(i).grad() != null) m.put(String.format("%05d", i), params.get(i).grad().toFloatArray());
        return m;
    }

    /** Every rank holds the same weights, bit for bit: all-gathered and compared with this rank's. */
    private static void checkIdentical(Communicator comm, TwoStreamModel m) {
        float[] mine = DataParallelFixtures.flat(DataParallelFixtures.weights(m.stateDict())).toFloatArray();
        Tensor all = comm.allGather(Tensor.of(mine, 1, mine.length));
        for (int k = 0; k < comm.size(); k++)
            if (!Arrays.equals(all.select(0, k).contiguous().toFloatArray(), mine))
                throw new AssertionError("after training, rank " + k + "'s weights differ from rank " + comm.rank() + "'s");
        System.out.println("rank " + comm.rank() + ": weights identical on all " + comm.size() + " ranks");
    }
}
