package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesAndLoaderTest {
    /** A module tree built by name, standing in for the real networks. */
    static final class Node extends Module {
        Node put(String name, Module m) {
            registerModule(name, m);
            return this;
        }
    }

    static final Generator GEN = new Generator(7);

    @Test
    void hfBertNamesLoseBertPrefixAndGammaBeta() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("bert_legacy_names.bin"));
        assertEquals(CheckpointNames.Scheme.HF_BERT, CheckpointNames.detect(src.keySet()));
        var m = CheckpointNames.apply(src, CheckpointNames.Scheme.HF_BERT).entries();
        assertTrue(m.containsKey("embeddings.LayerNorm.weight") && m.containsKey("encoder.layer.0.output.LayerNorm.bias"), m.keySet().toString());
        assertTrue(m.keySet().stream().noneMatch(n -> n.startsWith("bert.") || n.endsWith("gamma") || n.endsWith("beta")));
        assertTrue(m.containsKey("cls.predictions.bias"), "heads stay, for the loader to report as unexpected");
        // The same tensors without the prefix and with modern names map identically.
        assertEquals(m.keySet(), CheckpointNames.apply(m, CheckpointNames.Scheme.HF_BERT).entries().keySet());
    }

    @Test
    void bothSpellingsOfOneTensorIsAnError() {
        Map<String, Integer> src = new LinkedHashMap<>();
        src.put("bert.embeddings.LayerNorm.gamma", 1);
        src.put("embeddings.LayerNorm.weight", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointNames.apply(src, CheckpointNames.Scheme.HF_BERT));
        assertTrue(e.getMessage().contains("bert.embeddings.LayerNorm.gamma") && e.getMessage().contains("embeddings.LayerNorm.weight"), e.getMessage());
    }

    @Test
    void torchvisionVggBecomesImageModel() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("vgg16_tiny.pth"));
        var mapped = CheckpointNames.apply(src, CheckpointNames.detect(src.keySet()));
        List<String> idx = mapped.entries().keySet().stream().filter(n -> n.endsWith(".weight")).map(n -> n.split("\\.")[1]).toList();
        assertEquals(List.of("0", "2", "5", "7", "10", "12", "14", "17", "19", "21", "24", "26", "28"), idx);
        assertTrue(mapped.entries().keySet().stream().allMatch(n -> n.startsWith("image_model.")));
        assertEquals(1, mapped.notes().size());
        assertTrue(mapped.notes().getFirst().contains("classifier.6.bias"), mapped.notes().toString());
    }

    @Test
    void vgbertCheckpointLoadsStrictIntoTheModule() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("vgbert_stage1.pth.tar"));
        Node image = new Node().put("0", new Conv2d(3, 2, 3, 1, 1, GEN)).put("2", new Conv2d(2, 2, 3, 1, 0, GEN));
        Node cls = new Node().put("0", new Linear(4, 3, GEN)).put("3", new Linear(3, 2, GEN));
        Node model = new Node().put("image_model", image).put("object_classifier", cls);
        Loader.Report r = Loader.load(model, src, true);
        assertTrue(r.result().isClean(), r.toString());
        assertEquals(CheckpointNames.Scheme.VGBERT, r.scheme());
        assertArrayEquals(src.get("module.object_classifier.3.weight").toFloatArray(), model.get("object_classifier.3.weight").toFloatArray());
    }

    @Test
    void vggIntoImageModelDropsClassifier() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("vgg16_tiny.pth"));
        int[][] convs = {{0, 3, 2}, {2, 2, 2}, {5, 2, 3}, {7, 3, 3}, {10, 3, 4}, {12, 4, 4}, {14, 4, 4},
                {17, 4, 4}, {19, 4, 4}, {21, 4, 4}, {24, 4, 4}, {26, 4, 4}, {28, 4, 4}};
        Node image = new Node();
        for (int[] c : convs) image.put(String.valueOf(c[0]), new Conv2d(c[1], c[2], 3, 1, 1, GEN));
        Node model = new Node().put("image_model", image);
        Loader.Report r = Loader.load(model, src, true);
        assertTrue(r.result().isClean(), r.toString());
        assertArrayEquals(src.get("features.28.bias").toFloatArray(), model.get("image_model.28.bias").toFloatArray());
    }

    @Test
    void bertIntoNestedLanguageModelReportsEverythingTogether() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("bert_legacy_names.bin"));
        Node emb = new Node().put("word_embeddings", new Embedding(11, 8, GEN)).put("LayerNorm", new LayerNorm(8))
                .put("token_type_embeddings", new Embedding(3, 8, GEN)); // 3 rows where the file has 2
        Node model = new Node().put("language_model", new Node().put("language_model", new Node().put("embeddings", emb)
                .put("extra", new Linear(2, 2, GEN))));
        Loader.Report r = Loader.load(model, src, false);
        assertEquals("'' -> 'language_model.language_model.'", r.prefixRewrite());
        assertEquals(List.of("language_model.language_model.extra.weight", "language_model.language_model.extra.bias"), r.result().missing());
        assertEquals(List.of("language_model.language_model.embeddings.token_type_embeddings.weight"), r.result().mismatched());
        assertTrue(r.result().unexpected().contains("language_model.language_model.cls.predictions.bias"), r.toString());
        assertArrayEquals(src.get("bert.embeddings.LayerNorm.gamma").toFloatArray(),
                model.get("language_model.language_model.embeddings.LayerNorm.weight").toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loader.load(model, src, true));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("unexpected") && e.getMessage().contains("size mismatches"), e.getMessage());
    }
}
