package dev.groundwork.bench;

import dev.groundwork.engine.dist.MpiCommunicator;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertForPreTraining;
import dev.groundwork.models.train.DataParallel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The data-parallel step time of a small BERT (pretraining losses: forward, backward, gradient average) with
 * no all-reduce (the rank's own work), the all-reduce after the backward pass, and overlapped with it, one process per rank under
 * {@code mpirun -np N} on the CPU. Not JMH: JMH forks its own JVMs, and the ranks must be started by mpirun
 * and step in lockstep, so this is a plain main that times steps between barriers. All modes use the same
 * model, batch and buckets, and alternate in rounds so that drift in the machine's load hits both.
 *
 * <pre>{@code
 * mpirun -np 2 --oversubscribe --bind-to none java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp CLASSPATH dev.groundwork.bench.OverlapStepTime [layers hidden seq batchPerRank bucketMiB rounds stepsPerRound]
 * }</pre>
 * Rank 0 prints one line per mode: the median and mean step time over every timed step.
 */
public final class OverlapStepTime {
    public static void main(String[] args) {
        int layers = arg(args, 0, 4), hidden = arg(args, 1, 256), seq = arg(args, 2, 64), batch = arg(args, 3, 8), bucketMiB = arg(args, 4, 4),
                rounds = arg(args, 5, 4), steps = arg(args, 6, 5), vocab = 8192;
        MpiCommunicator comm = MpiCommunicator.world(600);
        DataParallel after = new DataParallel(comm, false, (long) bucketMiB << 20), overlap = new DataParallel(comm, true, (long) bucketMiB << 20);
        BertConfig c = new BertConfig(vocab, hidden, layers, Math.max(1, hidden / 64), 4 * hidden, "gelu", 0.0, 0.0, Math.max(512, seq), 2, 0.02, 1e-12, 0);
        BertForPreTraining model = new BertForPreTraining(c, new Generator(1));
        after.sameStart(model);
        List<Tensor> params = model.trainableParameters();
        long floats = params.stream().mapToLong(Tensor::numel).sum();
        Generator g = new Generator(100 + comm.rank());
        long[] ids = new long[batch * seq], labels = new long[batch * seq], nsp = new long[batch];
        for (int i = 0; i < ids.length; i++) { ids[i] = 1 + g.nextInt(vocab - 1); labels[i] = i % 7 == 0 ? g.nextInt(vocab) : -1; }
        for (int i = 0; i < batch; i++) nsp[i] = g.nextInt(2);
        Tensor in = Tensor.ofLongs(ids, batch, seq), lab = Tensor.ofLongs(labels, batch * seq), next = Tensor.ofLongs(nsp, batch);
        Tensor types = Tensor.zeros(DType.I64, Device.CPU, batch, seq), mask = Tensor.full(1, DType.I64, Device.CPU, batch, seq);
        // "no all-reduce" is the rank's own step (what one GPU would do): the difference to it is the communication's cost.
        DataParallel[] modes = {DataParallel.none(), after, overlap};
        String[] names = {"no all-reduce", "after backward", "overlapped"};
        double[][] times = new double[modes.length][rounds * steps];
        for (int m = 0; m < modes.length; m++) for (int w = 0; w < 2; w++) step(modes[m], model, params, in, types, mask, lab, next, vocab);   // warm-up; overlap learns its buckets
        for (int r = 0; r < rounds; r++)
            for (int m = 0; m < modes.length; m++)
                for (int s = 0; s < steps; s++) {
                    comm.barrier();
                    long t0 = System.nanoTime();
                    step(modes[m], model, params, in, types, mask, lab, next, vocab);
                    comm.barrier();
                    times[m][r * steps + s] = (System.nanoTime() - t0) / 1e6;
                }
        if (comm.rank() == 0) {
            System.out.printf(Locale.ROOT, "%d ranks (%s), BERT %d layers x %d, seq %d, batch %d per rank, %.1f M gradient floats (%.0f MB), buckets %d MiB (%d)%n",
                    comm.size(), comm.describe(), layers, hidden, seq, batch, floats / 1e6, floats * 4 / 1e6, bucketMiB,
                    (floats * 4 + ((long) bucketMiB << 20) - 1) / ((long) bucketMiB << 20));
            for (int m = 0; m < modes.length; m++) {
                double[] t = times[m].clone();
                Arrays.sort(t);
                System.out.printf(Locale.ROOT, "%-15s median %.1f ms, mean %.1f ms, min %.1f ms over %d steps%n", names[m], t[t.length / 2],
                        Arrays.stream(t).average().orElse(0), t[0], t.length);
            }
        }
        overlap.comm().close();
    }

    private static void step(DataParallel dp, BertForPreTraining model, List<Tensor> params, Tensor in, Tensor types, Tensor mask, Tensor lab,
                             Tensor next, int vocab) {
        try (TensorScope scope = TensorScope.open()) {
            var out = model.forward(in, types, mask);
            int rows = in.size(0) * in.size(1);
            Tensor loss = Losses.crossEntropy(out.predictionLogits().reshape(rows, vocab), lab, -1, Losses.Reduction.MEAN)
                    .add(Losses.crossEntropy(out.seqRelationshipLogits(), next, -1, Losses.Reduction.MEAN));
            dp.backward(loss, params);
            params.forEach(Tensor::zeroGrad);
        }
    }

    private static int arg(String[] a, int i, int d) { return a.length > i ? Integer.parseInt(a[i]) : d; }
}
