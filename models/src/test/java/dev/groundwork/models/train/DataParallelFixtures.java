package dev.groundwork.models.train;

import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.vgbert.TinyVgBert;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VgBertConfig;
import dev.groundwork.models.vision.VisualConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the data-parallel tests share between the JUnit side and the mpirun ranks
 * ({@link DataParallelMain}): a tiny stage-2 model and BERT without dropout (so one process and N
 * processes compute the same function), global batches, and a source that hands each rank its part of
 * every global batch.
 */
final class DataParallelFixtures {
    private DataParallelFixtures() {}

    /** Per-rank batch of the trainer runs; the global batch is this × world size, fixed at {@link #GLOBAL}. */
    static final int GLOBAL = 4;

    /** TinyVgBert's networks with every dropout off. */
    static VgBertConfig stage2Config() {
        VisualConfig v = new VisualConfig(List.of(4, "M", 8, "M"), 16, 2, 32, 16, 1e-5, 0.0);
        BertConfig b = new BertConfig(TinyVgBert.VOCAB, 16, 2, 2, 32, "gelu", 0.0, 0.0, 16, 2, 0.02, 1e-12, 0);
        return new VgBertConfig(v, b, 16, 2, 4, 4, 3, 8, 0.1, 1.0, 0.0, VgBertConfig.FixedDropout.NONE, false,
                TinyVgBert.T, TinyVgBert.O, TinyVgBert.L, 8);
    }

    static BertConfig bertConfig() {
        return new BertConfig(TinyVgBert.VOCAB, 16, 2, 2, 32, "gelu", 0.0, 0.0, 16, 2, 0.02, 1e-12, 0);
    }

    static TwoStreamModel stage2(long seed) { return new TwoStreamModel(stage2Config(), 2, new Generator(seed)); }

    /** Rows [from, from+n) of a caption batch. */
    static CaptionBatch rows(CaptionBatch b, int from, int n) {
        return new CaptionBatch(b.images().narrow(0, from, n).contiguous(), b.ids().narrow(0, from, n).contiguous(),
                b.types().narrow(0, from, n).contiguous(), b.mask().narrow(0, from, n).contiguous(),
                b.nwords().narrow(0, from, n).contiguous(), Arrays.copyOfRange(b.indices(), from, from + n));
    }

    /** SGD with momentum, a per-epoch StepLR: deterministic and insensitive to fp32 rounding of tiny gradients (unlike Adam's g/√v). */
    static TrainerConfig config(Path dir, int epochs, long maxSteps, DataParallel dp) {
        return TrainerConfig.of(epochs, OptimizerFactory.sgd(Sgd.Options.of(0.01).withMomentum(0.5)),
                Schedule.perEpoch(new StepLr(15, 0.5, true)), dir).withProgress(null, "dp").withMaxSteps(maxSteps).withParallel(dp)
                .withSettings(Map.of("batchSize", Integer.toString(GLOBAL)));
    }

    /** The trainer run of the resume tests: 2 epochs of 3 global batches of {@link #GLOBAL} captions; returns the trained model. */
    static TwoStreamModel train(Path dir, long maxSteps, boolean resume, DataParallel dp) throws Exception {
        TwoStreamModel m = stage2(5);
        if (dp.distributed()) m.globalNegatives(dp.comm());
        try (var src = new RankSlices(TinyVgBert.captions(3, GLOBAL, 21), dp)) {
            new Trainer<>(m, src, null, config(dir, 2, maxSteps, dp).withResume(resume)).fit();
        }
        return m;
    }

    /**
     * Fixed global batches in an order drawn from (seed, epoch), rank r taking rows [r·b, (r+1)·b) of
     * each: the Shard layout, without a dataset. The order is a function of the epoch, so nothing
     * needs checkpointing and every rank draws the same one.
     */
    static final class RankSlices implements BatchSource<CaptionBatch> {
        private final List<CaptionBatch> global;
        private final DataParallel dp;

        RankSlices(List<CaptionBatch> global, DataParallel dp) {
            this.global = global;
            this.dp = dp;
        }

        @Override public int batchesPerEpoch() { return global.size(); }

        @Override public Iterable<CaptionBatch> epoch(int epoch) {
            List<CaptionBatch> order = new ArrayList<>(global);
            Generator g = new Generator(1000 + epoch);
            for (int i = order.size() - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                CaptionBatch t = order.get(i); order.set(i, order.get(j)); order.set(j, t);
            }
            List<CaptionBatch> out = new ArrayList<>();
            for (CaptionBatch b : order) {
                int per = b.images().size(0) / dp.size();
                out.add(rows(b, dp.rank() * per, per));
            }
            return out;
        }
    }

    /** Every f32 tensor of a checkpoint's model part, flattened, by name. */
    static Map<String, float[]> weights(Path checkpoint) throws Exception {
        return weights(dev.groundwork.engine.io.Checkpoint.load(checkpoint).model());
    }

    static Map<String, float[]> weights(Map<String, Tensor> state) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (var e : state.entrySet())
            if (e.getValue().dtype() == dev.groundwork.engine.tensor.DType.F32) out.put(e.getKey(), e.getValue().toFloatArray());
        return out;
    }

    /** What a rank of an mpirun test does. */
    interface RankBody { void run() throws Exception; }

    /**
     * Runs a test rank's body, then leaves the group and prints "OK rank r of n". A collective failure prints
     * "FAILED ...", any other failure "MISMATCH rank r: ..." with its trace, and either ends the whole job at
     * once (abort 3 or 4), so that no rank waits for one that has failed.
     */
    static void asRank(dev.groundwork.engine.dist.Communicator comm, RankBody body) {
        try {
            body.run();
        } catch (dev.groundwork.engine.dist.CommunicatorException e) {
            System.out.println("FAILED " + e.getMessage());
            System.out.flush();
            comm.abort(3);
        } catch (Throwable e) {
            System.out.println("MISMATCH rank " + comm.rank() + ": " + e);
            e.printStackTrace(System.out);
            System.out.flush();
            comm.abort(4);
        }
        comm.close();
        System.out.println("OK rank " + comm.rank() + " of " + comm.size());
    }

    /**
     * Every weight of {@code got} within fp32 tolerance (2e-5 + 2e-4·|want|) of {@code want}, the same names on
     * both sides; the worst ratio to the tolerance is printed, labelled.
     */
    static void assertClose(Map<String, float[]> want, Map<String, float[]> got, String label) {
        org.junit.jupiter.api.Assertions.assertEquals(want.keySet(), got.keySet());
        double worst = 0;
        String at = "";
        for (var e : want.entrySet()) {
            float[] a = e.getValue(), b = got.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs(a[i] - b[i]) / (2e-5 + 2e-4 * Math.abs(a[i]));
                if (d > worst) { worst = d; at = e.getKey() + "[" + i + "] " + a[i] + " vs " + b[i]; }
            }
        }
        System.out.println(label + ": worst " + worst + " of the tolerance at " + at);
        org.junit.jupiter.api.Assertions.assertTrue(worst <= 1, label + ": " + at);
    }

    static Tensor flat(Map<String, float[]> w) {
        int n = w.values().stream().mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int o = 0;
        for (float[] a : w.values()) { System.arraycopy(a, 0, all, o, a.length); o += a.length; }
        return Tensor.of(all, n);
    }
}
