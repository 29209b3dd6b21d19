package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class GradClipTest {
    private record Setup(Tensor a, Tensor b, Tensor noGrad, double[] ga, double[] gb) {
        List<Tensor> params() { return List.of(a, b, noGrad); }
    }

    private static Setup setup(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Setup s = new Setup(param(randoms(r, 6), 2, 3), param(randoms(r, 4), 4), param(randoms(r, 2), 2), randoms(r, 6), randoms(r, 4));
        setGrad(s.a, s.ga);
        setGrad(s.b, s.gb);
        return s;
    }

    private static double pNorm(double p, double[]... gs) {
        double acc = 0;
        for (double[] g : gs) for (double x : g) acc += Math.pow(Math.abs(x), p);
        return Math.pow(acc, 1 / p);
    }

    private static double[] scaled(double[] g, double c) {
        double[] o = g.clone();
        for (int i = 0; i < o.length; i++) o[i] *= c;
        return o;
    }

    @Test
    void clipsTheTotalTwoNorm() {
        Setup s = setup(41);
        double total = pNorm(2, s.ga, s.gb), max = total / 3;
        assertEquals(total, GradClip.clipGradNorm(s.params(), max), 1e-13 * total);
        double c = max / (total + 1e-6);
        assertClose(scaled(s.ga, c), s.a.grad().toDoubleArray(), 1e-14, "a");
        assertClose(scaled(s.gb, c), s.b.grad().toDoubleArray(), 1e-14, "b");
        assertNull(s.noGrad.grad());
        assertEquals(max, pNorm(2, s.a.grad().toDoubleArray(), s.b.grad().toDoubleArray()), 1e-6 * max);
    }

    @Test
    void leavesGradientsBelowTheMaximum() {
        Setup s = setup(42);
        double total = pNorm(2, s.ga, s.gb);
        assertEquals(total, GradClip.clipGradNorm(s.params(), total * 2), 1e-13 * total);
        assertArrayEquals(s.ga, s.a.grad().toDoubleArray());
        assertArrayEquals(s.gb, s.b.grad().toDoubleArray());
    }

    @Test
    void otherNorms() {
        Setup s = setup(43);
        double max = 0;
        for (double[] g : new double[][]{s.ga, s.gb}) for (double x : g) max = Math.max(max, Math.abs(x));
        assertEquals(max, GradClip.clipGradNorm(s.params(), 1e9, Double.POSITIVE_INFINITY), 0);
        assertEquals(pNorm(1, s.ga, s.gb), GradClip.clipGradNorm(s.params(), 1e9, 1), 1e-12);
        assertEquals(pNorm(3, s.ga, s.gb), GradClip.clipGradNorm(s.params(), 1e9, 3), 1e-12);
        double total3 = pNorm(3, s.ga, s.gb);
        GradClip.clipGradNorm(s.params(), 0.5, 3);
        assertClose(scaled(s.ga, 0.5 / (total3 + 1e-6)), s.a.grad().toDoubleArray(), 1e-13, "a, 3-norm");
    }

    @Test
    void perTensor() {
        Setup s = setup(44);
        double na = pNorm(2, s.ga), nb = pNorm(2, s.gb);
        double[] norms = GradClip.clipGradNormPerTensor(s.params(), 0.5);
        assertArrayEquals(new double[]{na, nb, 0}, norms, 1e-13);
        assertClose(scaled(s.ga, 0.5 / (na + 1e-6)), s.a.grad().toDoubleArray(), 1e-14, "a");
        assertClose(scaled(s.gb, 0.5 / (nb + 1e-6)), s.b.grad().toDoubleArray(), 1e-14, "b");
    }

    @Test
    void byValue() {
        Setup s = setup(45);
        GradClip.clipGradValue(s.params(), 0.6);
        double[] expected = s.ga.clone();
        for (int i = 0; i < expected.length; i++) expected[i] = Math.max(-0.6, Math.min(0.6, expected[i]));
        assertArrayEquals(expected, s.a.grad().toDoubleArray());
    }
}
