package dev.groundwork.kernels.cuda;

import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Strided layouts for kernels. Before a launch, dims are dropped when of size 1 and merged when
 * every operand is contiguous across them, so a contiguous tensor of any rank becomes one flat dim
 * and the kernel's index arithmetic stays short.
 */
public final class Layouts {
    private Layouts() {}

    /** A collapsed iteration space: shape, and one stride array per operand. */
    public record Collapsed(int[] shape, long[][] strides) {
        public void add(KernelArgs a, int operand) { a.layout(shape, strides[operand]); }

        public boolean flat(int operand) { return shape.length == 1 && strides[operand][0] == 1; }
    }

    public static Collapsed collapse(int[] shape, Tensor... operands) {
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) if (shape[d] != 1) dims.add(d);
        int k = operands.length;
        List<int[]> outShape = new ArrayList<>();
        List<long[]> outStrides = new ArrayList<>();
        for (int d : dims) {
            long[] st = new long[k];
            for (int o = 0; o < k; o++) st[o] = operands[o].stride(d);
            if (!outShape.isEmpty()) {
                int last = outShape.size() - 1;
                long[] prev = outStrides.get(last);
                boolean merge = true;
                for (int o = 0; o < k; o++) if (prev[o] != st[o] * shape[d]) { merge = false; break; }
                if (merge) {
                    outShape.get(last)[0] *= shape[d];
                    outStrides.set(last, st);
                    continue;
                }
            }
            outShape.add(new int[]{shape[d]});
            outStrides.add(st);
        }
        if (outShape.isEmpty()) {
            outShape.add(new int[]{1});
            outStrides.add(new long[k]);
        }
        int r = outShape.size();
        if (r > KernelArgs.MAX_RANK)
            throw new IllegalArgumentException("tensor of rank " + r + " after merging contiguous dims exceeds the CUDA kernels' limit of " + KernelArgs.MAX_RANK);
        int[] s = new int[r];
        long[][] strides = new long[k][r];
        for (int i = 0; i < r; i++) {
            s[i] = outShape.get(i)[0];
            for (int o = 0; o < k; o++) strides[o][i] = outStrides.get(i)[o];
        }
        return new Collapsed(s, strides);
    }
}
