package dev.groundwork.engine.autograd;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AutogradTest {
    private final Generator gen = new Generator(3);

    /** Records an identity op whose backward passes g * 1 on and remembers the gradient it was given. */
    private static Tensor probe(Tensor x, List<Tensor> seen) {
        return Autograd.record("probe", x.detach().mul(1), new Tensor[]{x}, g -> {
            seen.add(g);
            return new Tensor[]{g.mul(1)};
        });
    }

    @Test void consumedGradientsAreReleasedDuringTheSweep() {
        Tensor x = Tensor.randn(gen, 5).requiresGrad(true);
        List<Tensor> upper = new ArrayList<>(), lower = new ArrayList<>();
        List<Boolean> upperClosedWhenLowerRan = new ArrayList<>();
        try (TensorScope step = TensorScope.open()) {
            Tensor a = Autograd.record("lowerProbe", x.detach().mul(1), new Tensor[]{x}, g -> {
                lower.add(g);
                upperClosedWhenLowerRan.add(upper.get(0).isClosed());
                return new Tensor[]{g.mul(1)};
            });
            Tensor c = probe(a.mul(3), upper);
            Tensor loss = c.mul(c).sum(), seed = Tensor.of(new float[]{1}, loss.shape());
            int before = step.size();
            loss.backward(seed);
            assertEquals(before, step.size(), "the sweep's own tensors are not left in the caller's scope");
            assertEquals(List.of(true), upperClosedWhenLowerRan, "a gradient is released once the nodes that read it have run");
            assertTrue(lower.get(0).isClosed());
            float[] xv = x.toFloatArray(), gx = x.grad().toFloatArray();
            for (int i = 0; i < 5; i++) assertEquals(18 * xv[i], gx[i], 1e-4, "d/dx (3x)^2");
        }
        assertFalse(x.grad().isClosed(), "a leaf's gradient outlives the step");
    }

    /** A backward function's own temporaries go when it returns; its result, even a view of one, lives on. */
    @Test void aNodesTemporariesAreReleasedWhenItReturns() {
        Tensor x = Tensor.randn(gen, 2, 3).requiresGrad(true);
        List<Tensor> temporaries = new ArrayList<>();
        List<Boolean> closedWhenLowerRan = new ArrayList<>();
        try (TensorScope step = TensorScope.open()) {
            Tensor a = Autograd.record("lower", x.detach().mul(1), new Tensor[]{x}, g -> {
                closedWhenLowerRan.add(temporaries.get(0).isClosed());
                return new Tensor[]{g.mul(1)};
            });
            Tensor y = Autograd.record("upper", a.detach().mul(1), new Tensor[]{a}, g -> {
                Tensor scaled = g.mul(2);          // a temporary the result is a view of
                temporaries.add(g.add(1));         // a temporary nothing returns
                return new Tensor[]{scaled.reshape(6).reshape(2, 3)};
            });
            y.sum().backward();
        }
        assertEquals(List.of(true), closedWhenLowerRan, "a node's temporaries are closed before the next node runs");
        for (float v : x.grad().toFloatArray()) assertEquals(2f, v, 0f, "the returned view kept its storage");
    }

    @Test void aSavedTensorHandedBackAsAGradientIsNotReleased() {
        Tensor x = Tensor.randn(gen, 3).requiresGrad(true);
        Tensor saved = Tensor.randn(gen, 3);
        Tensor y = Autograd.record("savedGrad", x.detach().mul(2), new Tensor[]{x}, g -> new Tensor[]{saved});
        y.mul(4).sum().backward();
        assertFalse(saved.isClosed());
        assertArrayEquals(saved.toFloatArray(), x.grad().toFloatArray());
        assertNotSame(saved, x.grad());
    }

    @Test void gradientsAccumulateAcrossUsesAndCalls() {
        Tensor x = Tensor.randn(gen, 3).requiresGrad(true);
        Tensor y = x.mul(x).add(x);            // dy/dx = 2x + 1 (x used three times)
        y.sum().backward();
        float[] a = x.toFloatArray(), g = x.grad().toFloatArray();
        for (int i = 0; i < 3; i++) assertEquals(2 * a[i] + 1, g[i], 1e-5);
        x.mul(3).sum().backward();              // a second backward adds 3
        float[] g2 = x.grad().toFloatArray();
        for (int i = 0; i < 3; i++) assertEquals(2 * a[i] + 4, g2[i], 1e-5);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test void sharedGradientTensorsDoNotAlias() {
        Tensor a = Tensor.randn(gen, 4).requiresGrad(true), b = Tensor.randn(gen, 4).requiresGrad(true);
        a.add(b).sum().backward();              // add hands the same gradient to both
        a.mul(5).sum().backward();
        assertArrayEquals(new float[]{6, 6, 6, 6}, a.grad().toFloatArray());
        assertArrayEquals(new float[]{1, 1, 1, 1}, b.grad().toFloatArray());
    }

    /** A pass-through gradient shared by two paths (add into two non-leaves) must not be adopted by one leaf. */
    @Test void passThroughGradientsSharedAcrossNodesAreCopied() {
        Tensor w = Tensor.randn(gen, 4).requiresGrad(true), v = Tensor.randn(gen, 4).requiresGrad(true);
        Tensor s = w.mul(1).add(v.mul(1));      // add's gradient goes to both mul nodes, mul's to the leaves
        s.mul(2).sum().backward();
        s = w.add(v);
        s.sum().backward();                     // same gradient object reaches w and v directly
        assertArrayEquals(new float[]{3, 3, 3, 3}, w.grad().toFloatArray());
        assertArrayEquals(new float[]{3, 3, 3, 3}, v.grad().toFloatArray());
    }

    /** linear's weight gradient is a fresh contiguous [out, in] buffer: it becomes .grad without a copy, and accumulates in place. */
    @Test void freshLeafGradientsAreAdoptedAndAccumulateInPlace() {
        Tensor x = Tensor.randn(gen, 5, 3), w = Tensor.randn(gen, 2, 3).requiresGrad(true);
        dev.groundwork.engine.ops.F.linear(x, w, null).sum().backward();
        Tensor g1 = w.grad();
        assertTrue(g1.isContiguous());
        float[] once = g1.toFloatArray();
        dev.groundwork.engine.ops.F.linear(x, w, null).sum().backward();
        assertSame(g1, w.grad(), "accumulated in place");
        float[] twice = w.grad().toFloatArray();
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-5);
        float[] xs = x.toFloatArray();
        for (int o = 0; o < 2; o++)
            for (int i = 0; i < 3; i++) {
                float col = 0;
                for (int r = 0; r < 5; r++) col += xs[r * 3 + i];
                assertEquals(col, once[o * 3 + i], 1e-5);   // d sum(x W^T) / dW[o,i] = sum_r x[r,i]
            }
    }

    @Test void noGradScopeRecordsNothingAndRestores() {
        Tensor x = Tensor.randn(gen, 2).requiresGrad(true);
        try (var s = GradMode.noGrad()) {
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (var inner = GradMode.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test void detachCutsTheGraph() {
        Tensor x = Tensor.randn(gen, 2).requiresGrad(true);
        Tensor y = x.mul(2).detach().mul(x);
        y.sum().backward();
        assertArrayEquals(x.mul(2).detach().toFloatArray(), x.grad().toFloatArray(), 1e-6f);
    }

    @Test void nonScalarBackwardTakesAGradient() {
        Tensor x = Tensor.randn(gen, 2, 3).requiresGrad(true);
        Tensor y = x.mul(x);
        assertThrows(IllegalStateException.class, y::backward);
        Tensor g = Tensor.randn(gen, 2, 3);
        y.backward(g);
        float[] xs = x.toFloatArray(), gs = g.toFloatArray(), gx = x.grad().toFloatArray();
        for (int i = 0; i < 6; i++) assertEquals(2 * xs[i] * gs[i], gx[i], 1e-5);
        assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward(Tensor.zeros(3)));
    }

    @Test void deepGraphsDoNotOverflowTheStack() {
        Tensor x = Tensor.randn(gen, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20000; i++) y = y.mul(1.0001);
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 20000), x.grad().item(), 1e-2);
    }

    @Test void inputsWithoutGradGetNone() {
        Tensor x = Tensor.randn(gen, 3).requiresGrad(true), c = Tensor.randn(gen, 3);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(c.toFloatArray(), x.grad().toFloatArray());
    }
}
