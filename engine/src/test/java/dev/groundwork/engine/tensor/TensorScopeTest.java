package dev.groundwork.engine.tensor;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TensorScopeTest {
    @Test
    void closesWhatItCreatedAndNothingElse() {
        Tensor outside = Tensor.of(new float[]{1, 2, 3}, 3);
        Tensor inside, kept, detached;
        try (TensorScope s = TensorScope.open()) {
            inside = outside.mul(2);
            kept = s.keep(outside.add(1));
            detached = TensorScope.detach(outside.add(5));
            assertEquals(1, s.size());
        }
        assertTrue(inside.isClosed());
        assertFalse(kept.isClosed());
        assertFalse(detached.isClosed());
        assertFalse(outside.isClosed());
        assertArrayEquals(new float[]{2, 3, 4}, kept.toFloatArray());
    }

    @Test
    void keepHandsToTheEnclosingScope() {
        Tensor x = Tensor.of(new float[]{1, 2}, 2), r;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                r = inner.keep(x.mul(3));
            }
            assertFalse(r.isClosed());
            assertSame(outer, TensorScope.current());
        }
        assertTrue(r.isClosed());
        assertNull(TensorScope.current());
    }

    @Test
    void viewsOfSurvivorsKeepTheirStorage() {
        Tensor base = Tensor.of(new float[]{1, 2, 3, 4}, 4);
        try (TensorScope s = TensorScope.open()) {
            Tensor v = base.narrow(0, 1, 2);
            assertEquals(2, v.numel());
        }
        assertArrayEquals(new float[]{1, 2, 3, 4}, base.toFloatArray());
    }

    @Test
    void outOfOrderCloseIsRefused() {
        TensorScope a = TensorScope.open();
        TensorScope b = TensorScope.open();
        assertThrows(IllegalStateException.class, a::close);
        b.close();
        a.close();
    }

    @Test
    void trainingStepsInScopesKeepGradsParametersAndOptimizerState() {
        Generator gen = new Generator(3);
        Linear lin = new Linear(4, 3, true, gen);
        Adam opt = new Adam(lin.parameters(), 0.01);
        Tensor x = Tensor.randn(gen, 5, 4);
        double first = 0, last = 0;
        for (int step = 0; step < 20; step++) {
            try (TensorScope s = TensorScope.open()) {
                opt.zeroGrad();
                Tensor loss = lin.forward(x).square().mean();
                loss.backward();
                opt.step();
                last = loss.item();
                if (step == 0) first = last;
            }
            for (Tensor p : lin.parameters()) {
                assertFalse(p.isClosed());
                assertNotNull(p.grad());
                assertFalse(p.grad().isClosed());
            }
        }
        assertTrue(last < first, "the loss falls across scoped steps: " + first + " -> " + last);
        List<Tensor> ps = lin.parameters();
        assertEquals(2, ps.size());
    }
}
