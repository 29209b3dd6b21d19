package dev.groundwork.engine.nn;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TrainingTest {

    private static double loss(Sequential mlp, Tensor x, Tensor y) {
        try (var s = GradMode.noGrad()) {
            return mlp.forward(x).sub(y).square().mean().item();
        }
    }

    /** Plain gradient descent written against the Module API: the parameters must move downhill. */
    @Test
    void tinyMlpLearns() {
        Generator g = new Generator(42);
        Sequential mlp = new Sequential(new Linear(4, 16, g), new Tanh(), new Linear(16, 1, g));
        Tensor x = Tensor.randn(g, 32, 4);
        Tensor y = Tensor.randn(g, 32, 1);
        double lr = 0.1, first = loss(mlp, x, y);
        Tensor w0 = mlp.get("0.weight");

        for (int step = 0; step < 30; step++) {
            mlp.zeroGrad();
            mlp.forward(x).sub(y).square().mean().backward();
            try (var s = GradMode.noGrad()) {
                for (Tensor p : mlp.trainableParameters()) p.copy_(p.sub(p.grad().mul(lr)));
            }
        }

        double last = loss(mlp, x, y);
        assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
        assertSame(w0, mlp.get("0.weight"), "updates are in place");
        assertTrue(w0.isLeaf() && w0.requiresGrad());
    }
}
