package dev.groundwork.engine.nn;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModuleNamesTest {

    /** The exact strings torch prints for BertModel's named_parameters(), for two layers. */
    static List<String> expectedBertNames(int layers) {
        List<String> names = new ArrayList<>(List.of(
                "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            for (String s : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                    "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm")) {
                names.add(p + s + ".weight");
                names.add(p + s + ".bias");
            }
        }
        names.add("pooler.dense.weight");
        names.add("pooler.dense.bias");
        return names;
    }

    @Test
    void nestedNamesMatchTorch() {
        TinyBert m = new TinyBert(2, new Generator(1));
        assertEquals(expectedBertNames(2), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(expectedBertNames(2), new ArrayList<>(m.stateDict().keySet()), "non-persistent buffer stays out");
        assertEquals(List.of("embeddings.position_ids"), new ArrayList<>(m.namedBuffers().keySet()));
        assertTrue(m.namedModules().containsKey("encoder.layer.1.attention.self.query"));
        assertSame(m.submodule("encoder.layer.1.attention.self.query").namedParameters().get("weight"),
                m.get("encoder.layer.1.attention.self.query.weight"));
        assertEquals(List.of(8, 8), List.of(m.get("encoder.layer.0.attention.self.key.weight").shape()[0],
                m.get("encoder.layer.0.attention.self.key.weight").shape()[1]));
    }

    @Test
    void sequentialNamesByIndexOrGivenName() {
        Generator g = new Generator(2);
        Sequential features = new Sequential(new Conv2d(3, 4, 3, 1, 1, g), new ReLU(), new MaxPool2d(2), new Conv2d(4, 4, 3, 1, 1, g));
        Module vgg = new Module() {
            { registerModule("features", features); registerModule("avgpool", new AdaptiveAvgPool2d(1));
              registerModule("classifier", Sequential.of(new java.util.LinkedHashMap<>(java.util.Map.of("fc", new Linear(4, 2, g))))); }
        };
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
                "classifier.fc.weight", "classifier.fc.bias"), new ArrayList<>(vgg.namedParameters().keySet()));
        assertTrue(vgg.toString().contains("(features): Sequential("), vgg.toString());
    }

    @Test
    void stateDictOrderIsParamsThenBuffersThenChildren() {
        Generator g = new Generator(3);
        Module m = new Module() {
            { registerModule("child", new Linear(2, 2, g));
              registerBuffer("running_mean", Tensor.zeros(2), true);
              registerParameter("scale", Tensor.ones(2)); }
        };
        assertEquals(List.of("scale", "running_mean", "child.weight", "child.bias"), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(List.of("scale", "child.weight", "child.bias"), new ArrayList<>(m.namedParameters().keySet()));
    }

    @Test
    void tiedWeightListedOnceAsParameterButUnderBothNamesInStateDict() {
        Generator g = new Generator(4);
        Embedding emb = new Embedding(5, 3, g);
        Linear decoder = new Linear(3, 5, false, g);
        decoder.setParameter("weight", emb.weight());
        Module m = new Module() {
            { registerModule("emb", emb); registerModule("decoder", decoder); }
        };
        assertEquals(List.of("emb.weight"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("emb.weight", "decoder.weight"), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(15, m.numParameters());
        m.to(DType.F64);
        assertSame(emb.weight(), decoder.weight(), "a tied tensor stays one tensor through a cast");
    }

    @Test
    void badNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Module() { { registerParameter("a.b", Tensor.ones(1)); } });
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            { registerParameter("w", Tensor.ones(1)); registerBuffer("w", Tensor.ones(1), true); } });
        assertThrows(IllegalArgumentException.class, () -> new Sequential().add(new TinyBert.Pooler(new Generator(1))));
    }

    @Test
    void castReplacesTensorsKeepingFlags() {
        TinyBert m = new TinyBert(1, new Generator(5));
        m.freeze("embeddings");
        Tensor before = m.get("pooler.dense.weight");
        m.to(DType.F64);
        Tensor after = m.get("pooler.dense.weight");
        assertNotSame(before, after);
        assertEquals(DType.F64, after.dtype());
        assertArrayEquals(before.toDoubleArray(), after.toDoubleArray());
        assertTrue(after.requiresGrad());
        assertFalse(m.get("embeddings.word_embeddings.weight").requiresGrad());
        assertEquals(DType.I64, m.namedBuffers().get("embeddings.position_ids").dtype(), "integer buffers are not cast");
    }
}
