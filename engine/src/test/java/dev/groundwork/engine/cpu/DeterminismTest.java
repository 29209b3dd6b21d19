package dev.groundwork.engine.cpu;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The CPU backend gives the same bits every time for the same inputs, however the threads are
 * scheduled: multi-threaded reductions use fixed partitions summed in a fixed order. Each pass here
 * is big enough to take the parallel paths (conv weight gradient over images, GEMM blocks, rows).
 */
class DeterminismTest {
    private static float[][] pass() {
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(g, 6, 8, 20, 20).requiresGrad(true);
        Tensor w = Tensor.randn(g, 16, 8, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(g, 16).requiresGrad(true);
        Tensor lw = Tensor.randn(g, 10, 16 * 10 * 10).requiresGrad(true);
        Tensor y = F.maxPool2d(F.conv2d(x, w, b, 1, 1).gelu(), 2, 2).reshape(6, -1);
        Tensor logits = F.layerNorm(F.linear(y, lw, null), null, null, 1e-5);
        F.crossEntropy(F.softmax(logits, -1).log(), Tensor.ofLongs(new long[]{1, 2, 3, 4, 5, 6}, 6)).backward();
        return new float[][]{x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray(), lw.grad().toFloatArray()};
    }

    @Test void repeatedPassesAreBitIdentical() {
        float[][] first = pass();
        for (int r = 0; r < 4; r++) {
            float[][] again = pass();
            for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], again[i], 0f, "gradient " + i + " on repeat " + r);
        }
    }
}
