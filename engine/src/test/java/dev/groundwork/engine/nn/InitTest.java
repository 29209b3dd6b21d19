package dev.groundwork.engine.nn;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class InitTest {

    private static double[] stats(float[] v) {
        double mean = 0, var = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float x : v) { mean += x; min = Math.min(min, x); max = Math.max(max, x); }
        mean /= v.length;
        for (float x : v) var += (x - mean) * (x - mean);
        return new double[]{mean, var / v.length, min, max};
    }

    /** U(-b, b): inside the bounds, reaching close to them, variance b^2/3, not constant. */
    private static void assertUniform(float[] v, double bound) {
        double[] s = stats(v);
        assertTrue(s[2] >= -bound && s[3] <= bound, "within +-" + bound + ": [" + s[2] + ", " + s[3] + "]");
        assertTrue(s[2] < -0.9 * bound && s[3] > 0.9 * bound, "spans the range: [" + s[2] + ", " + s[3] + "]");
        assertEquals(0, s[0], 4 * bound / Math.sqrt(3 * v.length), "mean");
        assertEquals(bound * bound / 3, s[1], 0.1 * bound * bound / 3, "variance");
    }

    @Test
    void linearDefaultInit() {
        Linear l = new Linear(100, 50, new Generator(1));
        assertUniform(l.weight().toFloatArray(), 0.1);
        float[] b = l.bias().toFloatArray();
        double[] s = stats(b);
        assertTrue(s[2] >= -0.1 && s[3] <= 0.1 && s[2] < s[3]);
    }

    @Test
    void conv2dDefaultInitUsesReceptiveField() {
        Conv2d c = new Conv2d(12, 40, 3, 1, 1, new Generator(2));
        assertUniform(c.weight().toFloatArray(), 1 / Math.sqrt(12 * 9));
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        assertArrayEquals(new Linear(8, 8, new Generator(7)).weight().toFloatArray(), new Linear(8, 8, new Generator(7)).weight().toFloatArray());
        assertFalse(java.util.Arrays.equals(new Linear(8, 8, new Generator(7)).weight().toFloatArray(),
                new Linear(8, 8, new Generator(8)).weight().toFloatArray()));
    }

    @Test
    void embeddingIsStandardNormal() {
        double[] s = stats(new Embedding(200, 50, new Generator(3)).weight().toFloatArray());
        assertEquals(0, s[0], 0.05);
        assertEquals(1, s[1], 0.05);
    }

    @Test
    void fansFollowTorch() {
        assertEquals(new Init.Fans(90, 180), Init.fans(Tensor.zeros(20, 10, 3, 3)));
        assertEquals(new Init.Fans(7, 5), Init.fans(Tensor.zeros(5, 7)));
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
    }

    @Test
    void xavierAndKaiming() {
        Generator g = new Generator(4);
        Tensor w = Tensor.zeros(20, 10, 3, 3);
        Tensor same = Init.xavierUniform_(w, 1.0, g);
        assertSame(w, same, "written in place");
        assertUniform(w.toFloatArray(), Math.sqrt(6.0 / (90 + 180)));

        Tensor k = Init.kaimingUniform_(Tensor.zeros(64, 32), 0, Init.Mode.FAN_IN, Init.Nonlinearity.RELU, g);
        assertUniform(k.toFloatArray(), Math.sqrt(2) * Math.sqrt(3.0 / 32));

        Tensor kn = Init.kaimingNormal_(Tensor.zeros(64, 32, 3, 3), 0, Init.Mode.FAN_OUT, Init.Nonlinearity.RELU, g);
        assertEquals(2.0 / (64 * 9), stats(kn.toFloatArray())[1], 0.1 * 2.0 / (64 * 9));

        Tensor n = Init.normal_(Tensor.zeros(100, 100), 0, 0.02, g);
        assertEquals(0.02 * 0.02, stats(n.toFloatArray())[1], 0.05 * 0.02 * 0.02);
        assertArrayEquals(new float[]{3f, 3f}, Init.constant_(Tensor.zeros(2), 3).toFloatArray());
        assertEquals(Math.sqrt(2.0 / (1 + 5)), Init.gain(Init.Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
    }
}
