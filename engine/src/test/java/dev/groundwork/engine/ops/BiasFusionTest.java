package dev.groundwork.engine.ops;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Moving a linear layer's bias into the op after it changes no number on the CPU: F.biasGelu and
 * F.biasDropoutAdd after a bias-free linear give, bit for bit, the outputs and every gradient (input,
 * weight, bias, residual) of the unfused layers BERT ran before, and leave the dropout stream where
 * the unfused path leaves it. The demo's metrics depend on this.
 */
class BiasFusionTest {
    /** The output and the gradients of the inputs, from fresh copies of x, W, b, r (float32). */
    private static List<float[]> run(Function<Tensor[], Tensor> f, long seed) {
        Generator g = new Generator(seed);
        Tensor[] in = {Tensor.randn(g, 2, 5, 24), Tensor.randn(g, 16, 24).mul(0.3), Tensor.randn(g, 16), Tensor.randn(g, 2, 5, 16)};
        for (Tensor t : in) t.requiresGrad(true);
        Tensor y = f.apply(in);
        y.backward(Tensor.randn(new Generator(seed + 1), y.shape()));
        return List.of(y.toFloatArray(), in[0].grad().toFloatArray(), in[1].grad().toFloatArray(), in[2].grad().toFloatArray(),
                in[3].grad() == null ? new float[0] : in[3].grad().toFloatArray());
    }

    private static void assertSame(List<float[]> want, List<float[]> got) {
        String[] what = {"output", "grad x", "grad weight", "grad bias", "grad residual"};
        for (int i = 0; i < want.size(); i++) assertArrayEquals(want.get(i), got.get(i), what[i]);
    }

    @ParameterizedTest(name = "x3 = {0}")
    @CsvSource({"1", "3"})
    void biasGeluIsGeluOfLinear(double scale) {
        List<float[]> unfused = run(t -> F.gelu(F.linear(t[0].mul(scale), t[1], t[2])).mul(t[3]), 7);
        List<float[]> fused = run(t -> F.biasGelu(F.linear(t[0].mul(scale), t[1], null), t[2]).mul(t[3]), 7);
        assertSame(unfused, fused);
    }

    @ParameterizedTest(name = "p = {0}, training = {1}")
    @CsvSource({"0.3, true", "0.0, true", "0.3, false", "1.0, true"})
    void biasDropoutAddIsDropoutOfLinearPlusResidual(double p, boolean training) {
        Generator a = new Generator(42), b = new Generator(42);
        List<float[]> unfused = run(t -> F.dropout(F.linear(t[0], t[1], t[2]), p, training, a).add(t[3]), 9);
        List<float[]> fused = run(t -> F.biasDropoutAdd(F.linear(t[0], t[1], null), t[2], t[3], p, training, b), 9);
        assertSame(unfused, fused);
        assertEquals(a.offset(), b.offset(), "both draw as many dropout numbers");
    }
}
