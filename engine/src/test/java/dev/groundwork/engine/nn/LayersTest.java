package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LayersTest {

    @Test
    void trainEvalPropagatesAndDropoutIsIdentityInEval() {
        Generator g = new Generator(1);
        Dropout drop = new Dropout(0.5, new Generator(99));
        Sequential inner = new Sequential(new Linear(6, 6, g), drop);
        Sequential m = new Sequential(inner, new ReLU());
        Tensor x = Tensor.randn(g, 40, 6);

        m.eval();
        for (Module sub : m.namedModules().values()) assertFalse(sub.isTraining());
        assertArrayEquals(x.toFloatArray(), drop.forward(x).toFloatArray());

        m.train();
        for (Module sub : m.namedModules().values()) assertTrue(sub.isTraining());
        float[] in = x.toFloatArray(), out = drop.forward(x).toFloatArray();
        int zeros = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] == 0) zeros++;
            else assertEquals(2 * in[i], out[i], 1e-6, "survivors scaled by 1/(1-p)");
        }
        assertTrue(zeros > 80 && zeros < 160, "about half of 240 dropped, got " + zeros);
    }

    @Test
    void sequentialEqualsManualComposition() {
        Generator g = new Generator(2);
        Linear l1 = new Linear(5, 7, g);
        GELU act = new GELU();
        Linear l2 = new Linear(7, 3, g);
        Sequential s = new Sequential(l1, act, l2);
        Tensor x = Tensor.randn(g, 4, 5);
        assertArrayEquals(l2.forward(F.gelu(l1.forward(x))).toFloatArray(), s.forward(x).toFloatArray());
        assertSame(l2, s.get(2));
        assertEquals(3, s.size());
    }

    @Test
    void linearComputesXWtPlusB() {
        Generator g = new Generator(3);
        Linear l = new Linear(3, 2, g);
        Tensor x = Tensor.randn(g, 1, 3);
        float[] w = l.weight().toFloatArray(), b = l.bias().toFloatArray(), xv = x.toFloatArray(), y = l.forward(x).toFloatArray();
        for (int o = 0; o < 2; o++) {
            double e = b[o];
            for (int i = 0; i < 3; i++) e += xv[i] * w[o * 3 + i];
            assertEquals(e, y[o], 1e-5);
        }
        assertNull(new Linear(3, 2, false, g).bias());
        assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.randn(g, 2, 4)));
    }

    @Test
    void convPoolFlattenShapes() {
        Generator g = new Generator(4);
        Sequential net = new Sequential(new Conv2d(3, 4, 3, 1, 1, g), new ReLU(), new MaxPool2d(2),
                new AdaptiveAvgPool2d(2), new Flatten(), new Linear(16, 5, g));
        Tensor y = net.forward(Tensor.randn(g, 2, 3, 8, 8));
        assertArrayEquals(new int[]{2, 5}, y.shape());
    }

    @Test
    void layerNormNormalisesLastDim() {
        Generator g = new Generator(5);
        LayerNorm ln = new LayerNorm(6);
        float[] y = ln.forward(Tensor.randn(g, 3, 6).mul(4).add(2)).toFloatArray();
        for (int r = 0; r < 3; r++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 6; i++) mean += y[r * 6 + i] / 6.0;
            for (int i = 0; i < 6; i++) sq += Math.pow(y[r * 6 + i] - mean, 2) / 6.0;
            assertEquals(0, mean, 1e-5);
            assertEquals(1, sq, 1e-3);
        }
        assertTrue(new LayerNorm(4, 1e-5, false).namedParameters().isEmpty());
    }

    @Test
    void embeddingPaddingRowStartsAtZeroAndLearnsNothing() {
        Generator g = new Generator(6);
        Embedding e = new Embedding(5, 3, 0, g);
        assertArrayEquals(new float[3], e.weight().select(0, 0).toFloatArray());
        Tensor ids = Tensor.ofLongs(new long[]{0, 2, 0, 4}, 2, 2);
        Tensor out = e.forward(ids);
        assertArrayEquals(new int[]{2, 2, 3}, out.shape());
        assertArrayEquals(e.weight().select(0, 2).toFloatArray(), out.select(0, 0).select(0, 1).toFloatArray());
        out.mul(Tensor.randn(g, 2, 2, 3)).sum().backward();
        float[] grad = e.weight().grad().toFloatArray();
        for (int j = 0; j < 3; j++) {
            assertEquals(0f, grad[j], "padding row");
            assertNotEquals(0f, grad[2 * 3 + j], "used row");
        }
        assertEquals(4, new Embedding(5, 3, -1, g).paddingIdx());
    }
}
