package dev.groundwork.models.interbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the three masks, the image-first single stream and the fusion do, seen from outside: padding
 * changes nothing real, the text sees the image only through the single-stream layers, and the VL heads
 * read fuse(pooled_t, pooled_v).
 */
class InterBertBehaviourTest {
    AutoCloseable noGrad;

    @BeforeEach
    void off() { noGrad = GradMode.noGrad(); }

    @AfterEach
    void on() throws Exception { noGrad.close(); }

    static InterBertModel model(InterBertConfig c) {
        InterBertModel m = new InterBertModel(c, new Generator(8));
        m.eval();
        return m;
    }

    static InterBertInputs with(InterBertInputs in, Tensor ids, Tensor feat) {
        return new InterBertInputs(ids, in.tokenTypeIds(), in.inputMask(), feat, in.imageLoc(), in.imageMask());
    }

    /** [b, from:to] of a [B, T, H] tensor, as floats. */
    static float[] rows(Tensor t, int b, int from, int to) { return t.select(0, b).narrow(0, from, to - from).copy().toFloatArray(); }

    @Test
    void paddedRegionsAndTokensChangeNothingReal() {
        InterBertModel m = model(TinyInterBert.config(Fusion.MUL));
        InterBertInputs in = TinyInterBert.inputs(3, DType.F32);
        InterBertModel.Output base = m.forward(in);

        float[] feat = in.imageFeat().toFloatArray();
        for (int f = 0; f < TinyInterBert.F; f++) feat[(3 * TinyInterBert.F) + f] += 7;   // pair 0, region 3: padding
        InterBertModel.Output region = m.forward(with(in, in.inputIds(), Tensor.of(feat, in.imageFeat().shape())));
        assertArrayEquals(base.sequenceOutputT().toFloatArray(), region.sequenceOutputT().toFloatArray(), 1e-6f);
        assertArrayEquals(rows(base.sequenceOutputV(), 0, 0, 3), rows(region.sequenceOutputV(), 0, 0, 3), 1e-6f);
        assertArrayEquals(base.pooledOutputV().toFloatArray(), region.pooledOutputV().toFloatArray(), 1e-6f);

        long[] ids = in.inputIds().toLongArray();
        ids[4] = 9;                                                                         // pair 0, position 4: padding
        InterBertModel.Output token = m.forward(with(in, Tensor.ofLongs(ids, in.inputIds().shape()), in.imageFeat()));
        assertArrayEquals(base.sequenceOutputV().toFloatArray(), token.sequenceOutputV().toFloatArray(), 1e-6f);
        assertArrayEquals(rows(base.sequenceOutputT(), 0, 0, 4), rows(token.sequenceOutputT(), 0, 0, 4), 1e-6f);
        assertArrayEquals(base.pooledOutputT().toFloatArray(), token.pooledOutputT().toFloatArray(), 1e-6f);
    }

    /** The text stream meets the image only in the single-stream layers: without them it is blind to regions. */
    @Test
    void textSeesTheImageOnlyThroughTheSingleStream() {
        InterBertConfig joint = TinyInterBert.config(Fusion.MUL);
        InterBertConfig none = new InterBertConfig(joint.vocabSize(), joint.hiddenSize(), 0, 2, joint.numAttentionHeads(),
                joint.intermediateSize(), "gelu", 0.1, 0.1, joint.maxPositionEmbeddings(), 2, 0.02, joint.vFeatureSize(),
                joint.vTargetSize(), joint.vHiddenSize(), 1, joint.vNumAttentionHeads(), joint.vIntermediateSize(), "gelu",
                0.2, 0.1, joint.biHiddenSize(), Fusion.MUL, false);
        InterBertInputs in = TinyInterBert.inputs(4, DType.F32);
        Tensor otherFeat = new Generator(40).normal(DType.F32, in.imageFeat().device(), 0, 1, in.imageFeat().shape());
        for (InterBertConfig c : new InterBertConfig[]{joint, none}) {
            InterBertModel m = model(c);
            float[] a = m.forward(in).pooledOutputT().toFloatArray(), b = m.forward(with(in, in.inputIds(), otherFeat)).pooledOutputT().toFloatArray();
            assertEquals(c == none, java.util.Arrays.equals(a, b), c == none ? "no single-stream layer: text independent of the image"
                    : "one single-stream layer: the text's [CLS] depends on the regions");
        }
    }

    @ParameterizedTest
    @EnumSource(Fusion.class)
    void theVlHeadsReadTheFusedPooledVectors(Fusion fusion) {
        InterBertForVLTasks m = new InterBertForVLTasks(TinyInterBert.config(fusion), 2, new Generator(9));
        m.eval();
        InterBertInputs in = TinyInterBert.inputs(5, DType.F32);
        InterBertModel.Output o = m.bert().forward(in);
        Tensor fused = fusion == Fusion.MUL ? o.pooledOutputT().mul(o.pooledOutputV()) : o.pooledOutputT().add(o.pooledOutputV());
        InterBertForVLTasks.Scores s = m.scores(in);
        assertArrayEquals(m.vilLogit().forward(fused).toFloatArray(), s.vilLogit().toFloatArray(), 1e-6f);
        assertArrayEquals(m.vilPrediction().forward(fused).toFloatArray(), s.vilPrediction().toFloatArray(), 1e-6f);
        assertArrayEquals(m.cls().biSeqRelationship().forward(fused).toFloatArray(),
                s.vilBinaryPrediction().toFloatArray(), 1e-6f);
        assertArrayEquals(new int[]{2, 2}, s.vilPrediction().shape());
        assertTrue(o.pooledOutputT().toFloatArray().length > 0);
    }

    @Test
    void theFullForwardAgreesWithTheScoresAndMasksPaddedRegions() {
        InterBertForVLTasks m = new InterBertForVLTasks(TinyInterBert.config(Fusion.SUM), 1, new Generator(10));
        m.eval();
        InterBertInputs in = TinyInterBert.inputs(6, DType.F32);
        InterBertForVLTasks.Output full = m.forward(in);
        InterBertForVLTasks.Scores s = m.scores(in);
        assertArrayEquals(s.vilLogit().toFloatArray(), full.scores().vilLogit().toFloatArray(), 0);
        assertArrayEquals(s.vilBinaryPrediction().toFloatArray(), full.scores().vilBinaryPrediction().toFloatArray(), 0);
        float[] vision = full.visionLogit().toFloatArray();   // [2, R, 1]; pair 0's region 3 is padding
        assertTrue(vision[3] < -9000 && vision[2] > -100, "padded region pushed to -10000: " + vision[3]);
        assertArrayEquals(new int[]{2, TinyInterBert.L, TinyInterBert.VOCAB}, full.linguisticPrediction().shape());
        assertArrayEquals(new int[]{2, TinyInterBert.R, TinyInterBert.C}, full.visionPrediction().shape());
    }

    @Test
    void dropoutActsOnlyInTraining() {
        InterBertForMultiModalPreTraining m = new InterBertForMultiModalPreTraining(TinyInterBert.config(Fusion.MUL), new Generator(11));
        InterBertInputs in = TinyInterBert.inputs(7, DType.F32);
        m.train();
        float[] t1 = m.forward(in).scores().seqRelationshipScore().toFloatArray(), t2 = m.forward(in).scores().seqRelationshipScore().toFloatArray();
        assertFalse(java.util.Arrays.equals(t1, t2), "fresh dropout masks per call");
        m.eval();
        assertArrayEquals(m.forward(in).scores().seqRelationshipScore().toFloatArray(), m.forward(in).scores().seqRelationshipScore().toFloatArray());
    }
}
