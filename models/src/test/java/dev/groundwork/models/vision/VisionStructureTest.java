package dev.groundwork.models.vision;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.MaxPool2d;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** torchvision indices, spec parameter counts, shapes of the visual stream and the stage-1 head. */
class VisionStructureTest {
    static final List<Integer> CONV_INDICES = List.of(0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28);

    @Test
    void vgg16FeaturesUseTorchvisionIndices() {
        Sequential f = VggFeatures.build(VggFeatures.CFG_D, 3, false, new Generator(1));
        assertEquals(31, f.size());
        List<Integer> convs = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) if (f.get(i) instanceof Conv2d) convs.add(i);
        assertEquals(CONV_INDICES, convs);
        for (int i : List.of(4, 9, 16, 23, 30)) assertInstanceOf(MaxPool2d.class, f.get(i));
        assertEquals(14_714_688, f.numParameters()); // spec 1.1: 14.71 M
        Sequential kept = VggFeatures.build(VggFeatures.CFG_D, 3, true, new Generator(1));
        assertEquals(30, kept.size(), "VG-BERT keeps modules 0-29");
        assertTrue(new Vgg16(1000, false, new Generator(1)).stateDict().containsKey("features.28.weight"));
    }

    @Test
    void spatialAttentionAtVgBertSizes() {
        SpatialSelfAttention a = new SpatialSelfAttention(VisualConfig.vgBert(0.1), new Generator(1));
        assertEquals(7_087_872 + 150_528, a.numParameters()); // spec 1.3: same as a BERT layer, + P
        List<String> expected = new ArrayList<>();
        for (String n : List.of("query", "key", "value", "dense", "LayerNorm", "ffn", "ffn_output", "full_layernorm")) {
            expected.add(n + ".weight");
            expected.add(n + ".bias");
        }
        expected.add("position_embeddings.weight");
        assertEquals(expected, new ArrayList<>(a.stateDict().keySet()));
        assertArrayEquals(new int[]{196, 768}, a.get("position_embeddings.weight").shape());
    }

    @Test
    void visualStreamNamesAndShapes() {
        VisualConfig c = new VisualConfig(List.of(4, "M", 6, "M", 6, "M", 8, "M", 8, "M"), 24, 4, 48, 16, 1e-5, 0.1);
        Vgg16Attention m = new Vgg16Attention(c, new Generator(2));
        var names = m.stateDict().keySet();
        for (String n : List.of("image_model.0.weight", "image_model.3.bias", "image_model.12.weight", "embedder.weight",
                "attention.position_embeddings.weight", "attention.full_layernorm.bias"))
            assertTrue(names.contains(n), n);
        assertEquals(8 * 24 + 24, m.submodule("embedder").numParameters());
        m.eval();
        try (var s = GradMode.noGrad()) {
            assertArrayEquals(new int[]{2, 24, 4, 4}, m.forward(Tensor.randn(new Generator(3), 2, 3, 64, 64)).shape());
            var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.randn(new Generator(3), 1, 3, 32, 32)));
            assertTrue(e.getMessage().contains("position table"));
        }
        // spec 1.2: the VG-BERT embedder is 512 -> 768, 393,984 parameters
        assertEquals(393_984, new Conv2d(512, 768, 1, 1, 0, new Generator(1)).numParameters());
    }

    @Test
    void stageOneClassifierShapesAndNames() {
        // Small widths: the real head (37,632 -> 4096 -> 4096 -> 1000) is 175 M parameters.
        VisualConfig c = new VisualConfig(List.of(4, "M", 4, "M", 4, "M", 8, "M", 8, "M"), 24, 4, 48, 196, 1e-5, 0.1);
        Vgg16AttentionClassifier m = new Vgg16AttentionClassifier(c, 32, 10, new Generator(4));
        var names = m.stateDict().keySet();
        for (String n : List.of("image_model.0.weight", "embedder.weight", "attention.query.weight",
                "classifier.0.weight", "classifier.3.weight", "classifier.6.bias"))
            assertTrue(names.contains(n), n);
        assertArrayEquals(new int[]{32, 24 * 49}, m.get("classifier.0.weight").shape());
        m.eval();
        try (var s = GradMode.noGrad()) {
            assertArrayEquals(new int[]{1, 10}, m.forward(Tensor.randn(new Generator(5), 1, 3, 224, 224)).shape());
        }
        // the full-size head, from arithmetic only: 175 M (spec 1.6)
        long head = (37_632L * 4096 + 4096) + (4096L * 4096 + 4096) + (4096L * 1000 + 1000);
        assertEquals(175, Math.round(head / 1e6));
    }
}
