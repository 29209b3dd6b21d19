package dev.groundwork.models.train;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.dist.SerialCommunicator;
import dev.groundwork.engine.dist.SingleProcess;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Trainer} does differently when it is one of N data-parallel ranks (a
 * {@link Communicator} of size N; size 1 changes nothing):
 * <ul>
 *   <li><b>Identical start</b>: every parameter and buffer is broadcast from rank 0 after the model is
 *   built or resumed, so ranks that drew their initialisation differently still start alike.</li>
 *   <li><b>Per-rank random streams</b>: the model's generators (dropout) are re-seeded per rank from
 *   (seed, rank), rank 0 keeping its own, so replicas draw different masks as separate GPUs do; data
 *   generators are not (every rank must see the same epoch order, see {@code data.Shard}).
 *   Checkpoints hold rank 0's streams only, and a resumed rank derives its own again: no rank state is
 *   written, so a run resumes on any number of processes.</li>
 *   <li><b>Gradients</b>: averaged over ranks in buckets of up to {@link #BUCKET_BYTES} (flattened, one
 *   all-reduce each). Because the communicator's all-reduce gives every rank the same bits and the
 *   optimizer is deterministic, weights and optimizer states stay bit-identical without being
 *   re-broadcast. The first step reduces after the whole backward pass and learns which parameters receive
 *   gradients (every rank must agree, checked). With overlap on ({@link #overlapping}), later steps launch
 *   each bucket's all-reduce on a communication thread ({@link SerialCommunicator}) as soon as the autograd
 *   sweep reports its last gradient final ({@link Autograd#onGradReady}), while the sweep computes the rest,
 *   and wait for all before the optimizer step ({@link OverlappedGradients}). The buckets are the first
 *   step's, launched in a fixed order, so the messages, hence the bits, are those of the after-backward
 *   path. Overlap is used on the CPU (Open MPI); NCCL on GPUs keeps the after-backward path, because its
 *   calls from a second thread need that thread's CUDA device set, which has not been tested on a GPU.</li>
 *   <li><b>Records</b>: the step's loss, loss parts and hit counts are combined over ranks (means and
 *   sums), so rank 0's metrics describe the global batch; only rank 0 writes files and progress.</li>
 *   <li><b>Stopping</b>: a stop request (a signal) on any rank stops every rank at the same step.</li>
 *   <li><b>Replica check</b> (off by default; {@link #checkingReplicas}): after every optimizer step a digest of
 *   every weight, buffer and EMA shadow is all-gathered and compared, and the run stops at the first step where a
 *   rank's bits differ from rank 0's: the tests' proof of the bit-identity above, and a debugging aid.</li>
 * </ul>
 */
public final class DataParallel {
    /** PyTorch DDP's default bucket size (25 MiB): large enough to amortise a collective's latency. */
    public static final long BUCKET_BYTES = 25L << 20;
    private static final DataParallel NONE = new DataParallel(SingleProcess.INSTANCE);

    private final Communicator comm;
    /** The communication thread's wrapper of the communicator when overlapping (then also {@link #comm}), else null. */
    private final SerialCommunicator serial;
    private final long bucketBytes;
    /** The buckets (parameters whose gradients are flattened together), learnt at the first step, and of which parameters. */
    private List<List<Tensor>> layout;
    private List<Tensor> layoutOf = List.of();
    private boolean checkReplicas;
    private long replicaChecks;

    /** Gradients averaged after the backward pass, in {@link #BUCKET_BYTES} buckets. */
    public DataParallel(Communicator comm) { this(comm, false, BUCKET_BYTES); }

    /**
     * @param overlap     all-reduce each bucket during the backward pass (host gradients only: a communicator
     *                    of CPU tensors); every collective of {@link #comm()} then goes through one thread
     * @param bucketBytes the largest bucket
     */
    public DataParallel(Communicator comm, boolean overlap, long bucketBytes) {
        if (bucketBytes < 1) throw new IllegalArgumentException("bucketBytes must be positive, got " + bucketBytes);
        this.serial = overlap && comm.size() > 1 ? new SerialCommunicator(comm) : null;
        this.comm = serial != null ? serial : comm;
        this.bucketBytes = bucketBytes;
    }

    /** Gradients all-reduced during the backward pass, in {@link #BUCKET_BYTES} buckets (CPU runs over Open MPI). */
    public static DataParallel overlapping(Communicator comm) { return new DataParallel(comm, true, BUCKET_BYTES); }

    /** One process: nothing is exchanged. */
    public static DataParallel none() { return NONE; }

    public Communicator comm() { return comm; }

    /** Turns the replica check on (see the class comment); returns this. */
    public DataParallel checkingReplicas() {
        checkReplicas = true;
        return this;
    }

    public boolean checksReplicas() { return checkReplicas && distributed(); }

    /** How many steps the replica check has passed. */
    public long replicaChecks() { return replicaChecks; }

    /**
     * The replica check of {@code step}: a 64-bit digest of the bits of {@code state} (in its order) and of
     * {@code extra} (the EMA shadows, say), all-gathered; a rank whose digest differs fails on every rank.
     */
    public void verifyReplicas(long step, java.util.Collection<Tensor> state, List<Tensor> extra) {
        if (!checksReplicas()) return;
        long h = 0xCBF29CE484222325L;
        for (Tensor t : state) h = digest(h, t);
        for (Tensor t : extra) h = digest(h, t);
        try (Tensor mine = Tensor.ofLongs(new long[]{h}, 1); Tensor all = comm.allGather(mine)) {
            long[] d = all.toLongArray();
            for (int k = 1; k < d.length; k++)
                if (d[k] != d[0]) throw new IllegalStateException("rank " + comm.rank() + ": after step " + step + " the weights of rank " + k
                        + " differ from rank 0's (digest " + Long.toHexString(d[k]) + " vs " + Long.toHexString(d[0]) + "): the replicas have diverged");
        }
        replicaChecks++;
    }

    /** FNV-1a over a tensor's values' bits (doubles widened from any float dtype, integers as longs). */
    private static long digest(long h, Tensor t) {
        if (t.dtype().isFloating()) {
            for (double v : t.toDoubleArray()) h = (h ^ Double.doubleToRawLongBits(v)) * 0x100000001B3L;
        } else {
            for (long v : t.toLongArray()) h = (h ^ v) * 0x100000001B3L;
        }
        return h;
    }

    public int rank() { return comm.rank(); }

    public int size() { return comm.size(); }

    public boolean distributed() { return comm.size() > 1; }

    /** Rank 0 writes checkpoints, metrics and progress. */
    public boolean writer() { return comm.rank() == 0; }

    /** Broadcasts every parameter and buffer of {@code model} from rank 0, in state-dict order. */
    public void sameStart(Module model) {
        if (!distributed()) return;
        for (Tensor t : model.stateDict().values()) comm.broadcast(t, 0);
    }

    /** Re-seeds rank r's generators from (seed, r), keeping each offset; rank 0 keeps its streams. */
    public void deriveGenerators(Map<String, Generator> modelGenerators) {
        if (comm.rank() == 0) return;
        for (Generator g : modelGenerators.values()) {
            long[] s = g.state();
            g.setState(new long[]{derive(s[0], comm.rank()), s[1]});
        }
    }

    /** SplitMix64 of (seed, rank): neighbouring ranks get unrelated Philox keys (also for a rank's own data stream). */
    public static long derive(long seed, int rank) {
        long z = seed + 0x9E3779B97F4A7C15L * (rank + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The backward pass of {@code loss}, then every present gradient of {@code params} replaced by its mean
     * over ranks: after the pass, or, when overlapping and the buckets are known, during it.
     */
    public void backward(Tensor loss, List<Tensor> params) {
        if (serial == null || layout == null || !sameTensors(params, layoutOf)) {
            // The first step of these parameters (another model, say): reduce after the pass and learn its buckets.
            loss.backward();
            averageGradients(params);
            return;
        }
        OverlappedGradients o = new OverlappedGradients(layout, serial);
        try (var hook = Autograd.onGradReady(o)) {
            loss.backward();
        }
        o.finish(params);
    }

    /**
     * Replaces every present gradient of {@code params} by its mean over ranks. Every rank must hold
     * gradients for the same parameters (checked: a rank that skipped a parameter would otherwise
     * shift every bucket after it).
     */
    public void averageGradients(List<Tensor> params) {
        if (!distributed()) return;
        List<Tensor> withGrads = new ArrayList<>();
        for (Tensor p : params) if (p.grad() != null) withGrads.add(p);
        try (Tensor count = Tensor.ofLongs(new long[]{withGrads.size()}, 1)) {
            comm.allReduce(count, ReduceOp.SUM);
            long total = count.toLongArray()[0];
            if (total != (long) withGrads.size() * comm.size())
                throw new IllegalStateException("rank " + comm.rank() + ": ranks disagree on which parameters received gradients this step ("
                        + withGrads.size() + " here, " + total + " over " + comm.size() + " ranks): every rank must run the same model on batches of the same shape");
        }
        List<List<Tensor>> buckets = buckets(withGrads, bucketBytes);
        for (List<Tensor> b : buckets) {
            try (Tensor flat = OverlappedGradients.pack(b)) {
                comm.allReduce(flat, ReduceOp.AVERAGE);
                OverlappedGradients.unpack(flat, b);
            }
        }
        if (serial != null) {
            layout = buckets;
            layoutOf = List.copyOf(params);
        }
    }

    private static boolean sameTensors(List<Tensor> a, List<Tensor> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
        return true;
    }

    /** {@code params} in order, cut into runs of at most {@code maxBytes} of one dtype and device. */
    static List<List<Tensor>> buckets(List<Tensor> params, long maxBytes) {
        List<List<Tensor>> out = new ArrayList<>();
        List<Tensor> bucket = new ArrayList<>();
        long bytes = 0;
        for (Tensor p : params) {
            long size = (long) p.numel() * p.dtype().byteSize();
            if (!bucket.isEmpty() && (bytes + size > maxBytes || p.dtype() != bucket.get(0).dtype() || !p.device().equals(bucket.get(0).device()))) {
                out.add(bucket);
                bucket = new ArrayList<>();
                bytes = 0;
            }
            bucket.add(p);
            bytes += size;
        }
        if (!bucket.isEmpty()) out.add(bucket);
        return out;
    }

    /** Whether any rank asks to stop (so that all stop at the same step). */
    public boolean anyRequested(boolean here) {
        if (!distributed()) return here;
        try (Tensor f = Tensor.ofLongs(new long[]{here ? 1 : 0}, 1)) {
            comm.allReduce(f, ReduceOp.SUM);
            return f.toLongArray()[0] > 0;
        }
    }

    /** The loss and the step's record over all ranks: mean loss and parts, summed hits and sizes. */
    public StepOutput global(double loss, StepOutput out, double[] lossOut) {
        if (!distributed()) {
            lossOut[0] = loss;
            return out;
        }
        // Sorted: a Map.of's iteration order differs from JVM to JVM, and every rank must pack the same way.
        List<String> parts = new ArrayList<>(new java.util.TreeSet<>(out.components().keySet()));
        List<String> hits = new ArrayList<>(new java.util.TreeSet<>(out.hits().keySet()));
        double[] v = new double[1 + parts.size() + 2 * hits.size() + 1];
        int k = 0;
        v[k++] = loss;
        for (String p : parts) v[k++] = out.components().get(p);
        for (String h : hits) {
            v[k++] = out.hits().get(h)[0];
            v[k++] = out.hits().get(h)[1];
        }
        v[k] = out.size();
        try (Tensor t = Tensor.of(v, v.length)) {
            comm.allReduce(t, ReduceOp.SUM);
            double[] s = t.toDoubleArray();
            int p = comm.size();
            k = 0;
            lossOut[0] = s[k++] / p;
            Map<String, Double> comp = new LinkedHashMap<>();
            for (String name : parts) comp.put(name, s[k++] / p);
            Map<String, long[]> h = new LinkedHashMap<>();
            for (String name : hits) {
                h.put(name, new long[]{Math.round(s[k]), Math.round(s[k + 1])});
                k += 2;
            }
            return new StepOutput(out.loss(), comp, h, (int) Math.round(s[k]));
        }
    }

}
