package dev.groundwork.models.bert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Masking and dropout behaviour of the BERT blocks. */
class BertBehaviourTest {
    static final BertConfig C = new BertConfig(50, 16, 2, 4, 32, "gelu", 0.2, 0.2, 20, 2, 0.02, 1e-12, 0);

    static Tensor ids(long last) { return Tensor.ofLongs(new long[]{5, 6, 7, last, 9, 10, 11, last}, 2, 4); }

    static final Tensor MASK = Tensor.ofLongs(new long[]{1, 1, 1, 0, 1, 1, 1, 0}, 2, 4);

    static float[] realPositions(Tensor h) { return h.narrow(1, 0, 3).copy().toFloatArray(); }

    @Test
    void withoutGradientsALayerReleasesItsIntermediatesAndMatchesTheGradPath() {
        BertLayer layer = new BertLayer(C, new Generator(8));
        layer.eval();
        Tensor x = Tensor.randn(new Generator(9), 2, 4, 16);
        Tensor mask = MASK.to(x.dtype());
        float[] withGrad;
        try (TensorScope outer = TensorScope.open()) {
            withGrad = layer.forward(x, mask).toFloatArray();
            assertTrue(outer.size() > 5, "with gradients the intermediates stay for backward: " + outer.size());
        }
        try (TensorScope outer = TensorScope.open(); var g = GradMode.noGrad()) {
            Tensor y = layer.forward(x, mask);
            assertEquals(1, outer.size(), "only the output outlives a no-grad layer");
            assertArrayEquals(withGrad, y.toFloatArray(), 0f);
        }
    }

    @Test
    void aPaddedKeyGetsNoAttentionInEvalAndTraining() {
        BertModel m = new BertModel(C, new Generator(4));
        try (var s = GradMode.noGrad()) {
            m.eval();
            float[] a = realPositions(m.forward(ids(12), null, MASK).lastHiddenState());
            float[] b = realPositions(m.forward(ids(40), null, MASK).lastHiddenState());
            assertArrayEquals(a, b, 1e-5f, "changing a padded token must not move the real tokens (eval, fused path)");
            float[] c = realPositions(m.forward(ids(40), null, null).lastHiddenState());
            assertFalse(java.util.Arrays.equals(a, c), "without the mask the token is seen");

            // training: dropout on the probabilities inside the attention node; same masks via the same seed
            BertModel t1 = new BertModel(C, new Generator(4)), t2 = new BertModel(C, new Generator(4));
            t1.train();
            t2.train();
            assertArrayEquals(realPositions(t1.forward(ids(12), null, MASK).lastHiddenState()),
                    realPositions(t2.forward(ids(40), null, MASK).lastHiddenState()), 1e-5f);
        }
    }

    @Test
    void dropoutActsOnlyInTraining() {
        BertModel m = new BertModel(C, new Generator(5));
        try (var s = GradMode.noGrad()) {
            m.eval();
            float[] e1 = m.forward(ids(12), null, MASK).lastHiddenState().toFloatArray();
            float[] e2 = m.forward(ids(12), null, MASK).lastHiddenState().toFloatArray();
            assertArrayEquals(e1, e2, "eval is deterministic");
            m.train();
            float[] t1 = m.forward(ids(12), null, MASK).lastHiddenState().toFloatArray();
            float[] t2 = m.forward(ids(12), null, MASK).lastHiddenState().toFloatArray();
            assertFalse(java.util.Arrays.equals(e1, t1), "training applies dropout");
            assertFalse(java.util.Arrays.equals(t1, t2), "fresh masks per call");
        }
        // with p = 0 training equals eval exactly
        BertModel z = new BertModel(C.withDropout(0), new Generator(6));
        try (var s = GradMode.noGrad()) {
            float[] tr = z.forward(ids(12), null, MASK).lastHiddenState().toFloatArray();
            z.eval();
            assertArrayEquals(tr, z.forward(ids(12), null, MASK).lastHiddenState().toFloatArray());
        }
    }

    @Test
    void gradientsFlowThroughTheTrainingPath() {
        BertModel m = new BertModel(C, new Generator(7));
        m.train();
        Tensor h = m.forward(ids(12), Tensor.ofLongs(new long[]{1, 1, 1, 1, 1, 1, 1, 1}, 2, 4), MASK).lastHiddenState();
        assertArrayEquals(new int[]{2, 4, 16}, h.shape());
        h.sum().backward();
        assertNotNull(m.get("encoder.layer.0.attention.self.query.weight").grad());
        assertNotNull(m.get("embeddings.token_type_embeddings.weight").grad());
    }
}
