package dev.groundwork.models.vision;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Dropout only in training; the position table reaches the output only through Q, K and V. */
class SpatialAttentionBehaviourTest {
    static final VisualConfig C = new VisualConfig(List.of(8, "M"), 16, 4, 32, 9, 1e-5, 0.3);

    @Test
    void dropoutOnlyInTraining() {
        SpatialSelfAttention a = new SpatialSelfAttention(C, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 16, 3, 3);
        try (var s = GradMode.noGrad()) {
            a.eval();
            float[] e = a.forward(x).copy().toFloatArray();
            assertArrayEquals(e, a.forward(x).copy().toFloatArray());
            a.train();
            assertFalse(java.util.Arrays.equals(e, a.forward(x).copy().toFloatArray()));
        }
    }

    @Test
    void residualUsesXNotA() {
        // With attention disabled (value and dense zero) the first block is LayerNorm(0 + residual); the
        // residual must be X, so the output cannot depend on the position table at all.
        SpatialSelfAttention a = new SpatialSelfAttention(C, new Generator(3));
        a.eval();
        try (var s = GradMode.noGrad()) {
            for (String n : List.of("value.weight", "value.bias", "dense.weight", "dense.bias")) a.get(n).fill_(0);
            Tensor x = Tensor.randn(new Generator(4), 1, 16, 3, 3);
            float[] before = a.forward(x).copy().toFloatArray();
            a.get("position_embeddings.weight").fill_(5);
            assertArrayEquals(before, a.forward(x).copy().toFloatArray(), 1e-6f);
        }
    }
}
