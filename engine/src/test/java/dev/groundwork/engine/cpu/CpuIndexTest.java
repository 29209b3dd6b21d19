package dev.groundwork.engine.cpu;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * index_select / index_add along dim 0 of row-major float32 tensors take a row-copy fast path
 * (embedding lookups and their gradients); everything else takes the strided path. Both must agree
 * with a hand-written loop, repeated ids included.
 */
class CpuIndexTest {
    private static final long[] IDS = {4, 1, 4, 0, 6, 4};

    /** out[i,:] = w[ids[i],:]; grad w[r,:] = sum of g[i,:] over i with ids[i] == r. */
    private static void checkSelectAndGrad(Tensor w) {
        int v = w.size(0), d = w.size(1);
        Tensor leaf = w.requiresGrad(true);
        Tensor out = F.indexSelect(leaf, 0, Tensor.ofLongs(IDS, IDS.length));
        Tensor g = Tensor.randn(new Generator(3), IDS.length, d);
        out.mul(g).sum().backward();
        float[] wv = w.detach().contiguous().toFloatArray(), ov = out.detach().toFloatArray(), gv = g.toFloatArray();
        float[] want = new float[IDS.length * d], wantGrad = new float[v * d];
        for (int i = 0; i < IDS.length; i++)
            for (int j = 0; j < d; j++) {
                want[i * d + j] = wv[(int) IDS[i] * d + j];
                wantGrad[(int) IDS[i] * d + j] += gv[i * d + j];
            }
        assertArrayEquals(want, ov, 0f, "index_select");
        assertArrayEquals(wantGrad, leaf.grad().toFloatArray(), 1e-6f, "index_add (gradient)");
    }

    @Test
    void rowFastPathMatchesTheLoop() {
        Tensor w = Tensor.randn(new Generator(1), 7, 5);
        assertTrue(w.isContiguous());
        checkSelectAndGrad(w);
    }

    @Test
    void stridedViewMatchesTheLoop() {
        Tensor view = Tensor.randn(new Generator(2), 5, 7).mT();   // [7,5], column-major
        assertTrue(!view.isContiguous());
        checkSelectAndGrad(view);
    }

    @Test
    void outOfRangeIdsAreNamed() {
        Tensor w = Tensor.randn(new Generator(4), 3, 4);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> F.indexSelect(w, 0, Tensor.ofLongs(new long[]{0, 3}, 2)));
        assertTrue(e.getMessage().contains("index_select index 3 out of range [0, 3)"), e.getMessage());
    }
}
