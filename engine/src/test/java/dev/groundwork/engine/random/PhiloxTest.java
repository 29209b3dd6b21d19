package dev.groundwork.engine.random;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PhiloxTest {
    @Test void knownAnswers() {
        // Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
        int[] w = new int[4];
        Philox.block(0L, 0L, w);
        assertArrayEquals(new int[]{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, w);
    }

    @Test void sameSeedSameStreamAndStateResumes() {
        Generator a = new Generator(42), b = new Generator(42);
        assertArrayEquals(Tensor.randn(a, 5).toFloatArray(), Tensor.randn(b, 5).toFloatArray());
        long[] state = a.state();
        float[] next = Tensor.rand(a, 7).toFloatArray();
        Generator c = new Generator(0);
        c.setState(state);
        assertArrayEquals(next, Tensor.rand(c, 7).toFloatArray());
        assertFalse(java.util.Arrays.equals(next, Tensor.rand(a, 7).toFloatArray()), "the stream advances");
    }

    @Test void distributionsHaveTheRightMoments() {
        Generator g = new Generator(1);
        double[] u = g.uniform(DType.F64, Device.CPU, -1, 3, 200_000).toDoubleArray();
        double mean = 0, var = 0;
        for (double v : u) { mean += v; assertTrue(v >= -1 && v < 3); }
        mean /= u.length;
        for (double v : u) var += (v - mean) * (v - mean);
        var /= u.length;
        assertEquals(1.0, mean, 0.02);
        assertEquals(16.0 / 12, var, 0.02);
        double[] n = g.normal(DType.F32, Device.CPU, 2, 0.5, 200_000).toDoubleArray();
        double m2 = 0, v2 = 0;
        for (double v : n) m2 += v;
        m2 /= n.length;
        for (double v : n) v2 += (v - m2) * (v - m2);
        assertEquals(2, m2, 0.01);
        assertEquals(0.25, v2 / n.length, 0.01);
        double keep = g.bernoulli(DType.F32, Device.CPU, 0.7, 100_000).mean().item();
        assertEquals(0.7, keep, 0.01);
    }
}
