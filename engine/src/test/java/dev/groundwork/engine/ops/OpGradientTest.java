package dev.groundwork.engine.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.testing.GradCheck;
import dev.groundwork.engine.testing.OpCase;
import dev.groundwork.engine.testing.OpCases;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * Finite-difference (float64, CPU) check of the backward of every differentiable row of the op table,
 * one test per row, named after it. Rows without a differentiable input (none today) would be left to
 * the parity test, which compares forwards.
 */
class OpGradientTest {
    /** Inputs up to this size are probed coordinate by coordinate, larger ones along random directions (GradCheck.checkOutputs). */
    private static final int COORDINATE_LIMIT = 512;

    @TestFactory
    @DisplayName("float64 finite differences of")
    Stream<DynamicTest> finiteDifferences() {
        return OpCases.all().stream().filter(OpCase::differentiable).map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(OpCase c) {
        Tensor[] in = c.draw(DType.F64);
        for (int i = 0; i < in.length; i++) if (c.inputs().get(i).grad()) in[i].requiresGrad(true);
        GradCheck.checkOutputs(c.name(), c.op(), 1e-6, c.gradTol(), COORDINATE_LIMIT, in);
    }
}
