package dev.groundwork.models.train;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.dist.SerialCommunicator;
import dev.groundwork.engine.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * One step's gradient averaging overlapped with its backward pass ({@link DataParallel#backward}): told by
 * the autograd sweep when a parameter's gradient is final, it flattens a bucket once all of its gradients
 * are, and hands the bucket's all-reduce to the communication thread while the sweep goes on; {@link #finish}
 * waits for every bucket and copies the means back.
 *
 * <p>Buckets are launched in one fixed order, from the last to the first (gradients become final roughly
 * in reverse order of the parameters, as PyTorch DDP's buckets assume), each once it and every bucket after
 * it are complete, so all ranks issue the same collectives in the same order whatever their timing.
 */
final class OverlappedGradients implements Autograd.GradReadyHook {
    private final List<List<Tensor>> buckets;
    private final SerialCommunicator comm;
    private final Map<Tensor, Integer> bucketOf = new IdentityHashMap<>();
    private final int[] waiting;
    private final Tensor[] flats;
    @SuppressWarnings("unchecked")
    private final Future<Void>[] reductions;
    /** The next bucket to launch; launched are those above it. */
    private int next;

    @SuppressWarnings("unchecked")
    OverlappedGradients(List<List<Tensor>> buckets, SerialCommunicator comm) {
        this.buckets = buckets;
        this.comm = comm;
        this.waiting = new int[buckets.size()];
        for (int b = 0; b < buckets.size(); b++) {
            for (Tensor p : buckets.get(b)) bucketOf.put(p, b);
            waiting[b] = buckets.get(b).size();
        }
        this.flats = new Tensor[buckets.size()];
        this.reductions = new Future[buckets.size()];
        this.next = buckets.size() - 1;
    }

    @Override
    public void ready(Tensor leaf) {
        Integer b = bucketOf.get(leaf);
        if (b == null) return;
        waiting[b]--;
        launchReady();
    }

    private void launchReady() {
        while (next >= 0 && waiting[next] == 0) {
            List<Tensor> bucket = buckets.get(next);
            for (Tensor p : bucket)
                if (p.grad() == null) throw changed("a parameter of shape " + dev.groundwork.engine.tensor.Shape.str(p.shape()) + " received no gradient");
            // Made inside the sweep's TensorScope, which would close it when the sweep ends: finish() closes it instead.
            flats[next] = dev.groundwork.engine.tensor.TensorScope.detach(pack(bucket));
            reductions[next] = comm.allReduceAsync(flats[next], ReduceOp.AVERAGE);
            next--;
        }
    }

    /** Waits for every bucket and writes the means into the gradients; checks that the step used the learnt buckets. */
    void finish(List<Tensor> params) {
        try {
            launchReady();
            if (next >= 0) throw changed("bucket " + next + " of " + buckets.size() + " was never complete (a parameter the first step trained was not reached)");
            for (Tensor p : params)
                if (p.grad() != null && !bucketOf.containsKey(p))
                    throw changed("a parameter of shape " + dev.groundwork.engine.tensor.Shape.str(p.shape()) + " that the first step did not train has a gradient");
            for (int b = buckets.size() - 1; b >= 0; b--) {
                SerialCommunicator.await(reductions[b]);
                unpack(flats[b], buckets.get(b));
            }
        } finally {
            for (int b = 0; b < flats.length; b++) {
                // A bucket still in flight (after a failure) belongs to the communication thread; the run is over then.
                if (flats[b] != null && reductions[b].isDone()) flats[b].close();
            }
        }
    }

    private IllegalStateException changed(String what) {
        return new IllegalStateException("rank " + comm.rank() + ": " + what + ": overlapped data-parallel training needs the parameters that receive"
                + " gradients to stay the same from step to step");
    }

    /** The bucket's gradients flattened into one new buffer, in order. */
    static Tensor pack(List<Tensor> bucket) {
        int n = 0;
        for (Tensor p : bucket) n = Math.addExact(n, p.numel());
        Tensor flat = Tensor.empty(bucket.get(0).grad().dtype(), bucket.get(0).grad().device(), n);
        int off = 0;
        for (Tensor p : bucket) {
            Tensor g = p.grad();
            flat.narrow(0, off, g.numel()).copy_(g.contiguous().reshape(g.numel()));
            off += g.numel();
        }
        return flat;
    }

    /** The flattened values written back into the bucket's gradients. */
    static void unpack(Tensor flat, List<Tensor> bucket) {
        int off = 0;
        for (Tensor p : bucket) {
            Tensor g = p.grad();
            g.copy_(flat.narrow(0, off, g.numel()).reshape(g.shape()));
            off += g.numel();
        }
    }
}
