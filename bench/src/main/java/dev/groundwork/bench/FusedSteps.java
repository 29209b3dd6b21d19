package dev.groundwork.bench;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The benchmark steps of the three fused ops, shared by {@link FusedCpuBench} and {@link GpuFusedBench}:
 * the same math as torch_peer.py's attention, matchmap and bilinear workloads.
 */
final class FusedSteps {
    private FusedSteps() {}

    /** Caption lengths 1..t, spread deterministically over the batch. */
    static long[] nwords(int b, int t) {
        long[] w = new long[b];
        for (int i = 0; i < w.length; i++) w[i] = 1 + (i * 7919L) % t;
        return w;
    }

    /** The stage-2 loss forward and backward; image [B,D,P], language [B,T,D], sizes {B, T, P, D}. */
    static void matchmap(Tensor image, Tensor language, Tensor nwords, int[] n) {
        Tensor[] l = VgBertOps.matchmapContrastive(image.reshape(n[0], n[3], n[2], 1), language, nwords, 0.1);
        l[0].add(l[1]).backward();
    }

    /** L2-normalised relation matrices, the scores, their sum, backward; objects [B,O,S], relations [K,S,S]. */
    static void bilinear(Tensor objects, Tensor relations) {
        int k = relations.size(0), sd = relations.size(1);
        Tensor m = F.normalize(relations.reshape(k, sd * sd), 1, 1e-12).reshape(k, sd, sd);
        VgBertOps.bilinearRelation(objects, m).sum().backward();
    }
}
