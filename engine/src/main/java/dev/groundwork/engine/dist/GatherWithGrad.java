package dev.groundwork.engine.dist;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.tensor.Tensor;

/**
 * All-gather as a differentiable op, for losses that need every rank's rows (global in-batch
 * negatives, OpenCLIP's "gather with grad"). Forward: the ranks' [b, ...] tensors concatenated to
 * [N·b, ...]. Backward: each rank's gradient of the gathered tensor, summed over ranks, this rank's
 * block kept (a reduce-scatter): rank r's rows appear in every rank's loss, and the total loss is the
 * sum of the ranks' losses, so their gradient is the sum of what every rank sends back.
 */
public final class GatherWithGrad {
    private GatherWithGrad() {}

    public static Tensor allGather(Tensor x, Communicator comm) {
        Tensor all = comm.allGather(x);
        return Autograd.record("all_gather", all, new Tensor[]{x}, g -> new Tensor[]{comm.reduceScatter(g.contiguous(), ReduceOp.SUM)});
    }
}
