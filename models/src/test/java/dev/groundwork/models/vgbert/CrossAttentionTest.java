package dev.groundwork.models.vgbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Spec 4.2-4.4: names, counts, init bound, normalisation, the no-op mask and dropout on M^. */
class CrossAttentionTest {

    @Test
    void vgBertSizesAndNames() {
        CrossAttention a = new CrossAttention(768, 8, 32, 115, 0.1, new Generator(1));
        // torch order: a module's own parameters before its children's
        assertEquals(List.of("relational_matrix", "key_visual.weight", "value_visual.weight", "value_visual.bias", "query_language.weight",
                "object_transform.weight", "object_transform.bias"), new ArrayList<>(a.stateDict().keySet()));
        assertEquals(1_912_608, a.numParameters()); // spec 8.4: 1.91 M, of which 117,760 relation matrices
        // Xavier-uniform with torch's fan rule on [115, 32, 32]: bound sqrt(6 / (32*32 + 115*32))
        double bound = Math.sqrt(6.0 / 4704), max = 0;
        for (float v : a.get("relational_matrix").toFloatArray()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound && max > 0.99 * bound, "max |M| " + max + " vs bound " + bound);

        ObjectClassifier c = ObjectClassifier.vgBert(new Generator(2));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), new ArrayList<>(c.stateDict().keySet()));
        assertEquals(211_256, c.numParameters()); // 0.21 M
    }

    @Test
    void shapesNormalisationAndTheNoOpMask() {
        CrossAttention a = new CrossAttention(32, 4, 6, 5, 0.1, new Generator(3));
        a.eval();
        Generator g = new Generator(4);
        Tensor visual = Tensor.randn(g, 2, 32, 3, 4), language = Tensor.randn(g, 2, 7, 32);
        Tensor mask = Tensor.of(new float[]{1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0}, 2, 7);
        try (var s = GradMode.noGrad()) {
            CrossAttention.Output o = a.forward(visual, language, mask);
            assertArrayEquals(new int[]{2, 7, 32}, o.queryLanguage().shape());
            assertArrayEquals(new int[]{2, 32, 3, 4}, o.keyVisual().shape());
            assertArrayEquals(new int[]{2, 7, 32}, o.objectRepresentation().shape());
            assertArrayEquals(new int[]{2, 5, 7, 7}, o.relationPrediction().shape());
            assertArrayEquals(new int[]{5, 6, 6}, o.normalizedRelationalMatrix().shape());
            float[] m = o.normalizedRelationalMatrix().toFloatArray();
            for (int k = 0; k < 5; k++) {
                double ss = 0;
                for (int i = 0; i < 36; i++) ss += m[k * 36 + i] * m[k * 36 + i];
                assertEquals(1.0, Math.sqrt(ss), 1e-5);
            }
            // spec 9.9: the object mask changes nothing
            assertArrayEquals(o.relationPrediction().toFloatArray(), a.forward(visual, language, null).relationPrediction().toFloatArray());
            ObjectClassifier c = new ObjectClassifier(32, 16, 9, 0.1, new Generator(5));
            c.eval();
            assertArrayEquals(new int[]{2, 7, 9}, c.forward(o.objectRepresentation()).shape());
        }
    }

    @Test
    void relationDropoutOnlyInTraining() {
        CrossAttention a = new CrossAttention(32, 4, 6, 5, 0.5, new Generator(6));
        Generator g = new Generator(7);
        Tensor visual = Tensor.randn(g, 1, 32, 2, 2), language = Tensor.randn(g, 1, 3, 32);
        try (var s = GradMode.noGrad()) {
            a.eval();
            CrossAttention.Output e = a.forward(visual, language, null);
            assertArrayEquals(e.relationPrediction().toFloatArray(), a.forward(visual, language, null).relationPrediction().toFloatArray());
            a.train();
            CrossAttention.Output t = a.forward(visual, language, null);
            assertArrayEquals(e.objectRepresentation().toFloatArray(), t.objectRepresentation().toFloatArray(),
                    "dropout acts on M^ only");
            assertArrayEquals(e.normalizedRelationalMatrix().toFloatArray(), t.normalizedRelationalMatrix().toFloatArray());
            assertFalse(java.util.Arrays.equals(e.relationPrediction().toFloatArray(), t.relationPrediction().toFloatArray()));
        }
    }
}
