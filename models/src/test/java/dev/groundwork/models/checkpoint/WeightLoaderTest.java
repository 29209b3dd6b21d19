package dev.groundwork.models.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertForPreTraining;
import dev.groundwork.models.bert.BertModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WeightLoader} on PyTorch-made files and real modules: reading, loading, reporting, strictness. */
class WeightLoaderTest {
    /** A module tree built by name, standing in for the real networks. */
    static final class Node extends Module {
        Node put(String name, Module m) {
            registerModule(name, m);
            return this;
        }
    }

    static final Generator GEN = new Generator(7);

    @TempDir Path tmp;

    @Test
    void vgbertDataParallelCheckpointLoadsStrict() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("vgbert_stage1.pth.tar"));
        Node image = new Node().put("0", new Conv2d(3, 2, 3, 1, 1, GEN)).put("2", new Conv2d(2, 2, 3, 1, 0, GEN));
        Node cls = new Node().put("0", new Linear(4, 3, GEN)).put("3", new Linear(3, 2, GEN));
        Node model = new Node().put("image_model", image).put("object_classifier", cls);
        LoadReport r = WeightLoader.load(model, src, true);
        assertTrue(r.isClean(), r.problems());
        assertEquals("object_classifier.3.weight", r.loaded().get("module.object_classifier.3.weight"));
        assertArrayEquals(src.get("module.object_classifier.3.weight").toFloatArray(), model.get("object_classifier.3.weight").toFloatArray());
    }

    @Test
    void torchvisionVggIntoImageModelDropsTheClassifier() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("vgg16_tiny.pth"));
        int[][] convs = {{0, 3, 2}, {2, 2, 2}, {5, 2, 3}, {7, 3, 3}, {10, 3, 4}, {12, 4, 4}, {14, 4, 4},
                {17, 4, 4}, {19, 4, 4}, {21, 4, 4}, {24, 4, 4}, {26, 4, 4}, {28, 4, 4}};
        Node image = new Node();
        for (int[] c : convs) image.put(String.valueOf(c[0]), new Conv2d(c[1], c[2], 3, 1, 1, GEN));
        Node model = new Node().put("image_model", image);
        LoadReport r = WeightLoader.load(model, src, true);
        assertTrue(r.isClean(), r.problems());
        assertEquals(26, r.loaded().size());
        assertEquals(6, r.dropped().size(), r.dropped().toString());
        assertTrue(r.dropped().containsKey("classifier.6.bias"));
        assertArrayEquals(src.get("features.28.bias").toFloatArray(), model.get("image_model.28.bias").toFloatArray());
    }

    /** The HF file of the fixtures with what real BertModel checkpoints also hold: the position-id buffer and a tied decoder. */
    private static Map<String, Tensor> hfBertFile() throws Exception {
        Map<String, Tensor> src = new LinkedHashMap<>(TorchCheckpoint.load(Fixtures.file("bert_legacy_names.bin")));
        src.remove("cls.predictions.bias");
        src.put("bert.embeddings.position_ids", Tensor.arange(6).to(DType.I64).reshape(1, 6));
        src.put("cls.predictions.decoder.weight", src.get("bert.embeddings.word_embeddings.weight"));
        return src;
    }

    private static BertConfig fixtureConfig() throws Exception {
        return BertConfig.fromJson(new ObjectMapper().readTree("""
                {"vocab_size": 11, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "intermediate_size": 16, "max_position_embeddings": 6, "type_vocab_size": 2}"""));
    }

    @Test
    void hfLegacyBertLoadsStrictIntoBertModel() throws Exception {
        Map<String, Tensor> src = hfBertFile();
        BertModel m = new BertModel(fixtureConfig(), GEN);
        LoadReport r = WeightLoader.load(m, src, true);
        assertTrue(r.isClean(), r.problems());
        assertEquals("encoder.layer.0.output.LayerNorm.weight", r.loaded().get("bert.encoder.layer.0.output.LayerNorm.gamma"));
        assertEquals(Set.of("bert.embeddings.position_ids", "cls.predictions.decoder.weight"), r.dropped().keySet());
        assertArrayEquals(src.get("bert.encoder.layer.0.output.LayerNorm.gamma").toFloatArray(),
                m.get("encoder.layer.0.output.LayerNorm.weight").toFloatArray());
    }

    @Test
    void aTiedDecoderLoadsThroughTheWordEmbeddings() throws Exception {
        BertConfig c = fixtureConfig();
        BertForPreTraining from = new BertForPreTraining(c, new Generator(1)), into = new BertForPreTraining(c, new Generator(2));
        Map<String, Tensor> sd = new LinkedHashMap<>(from.stateDict());
        sd.remove("cls.predictions.decoder.weight"); // files that store the tied tensor once
        LoadReport r = WeightLoader.load(into, sd, true);
        assertTrue(r.isClean(), r.problems());
        assertSame(into.get("bert.embeddings.word_embeddings.weight"), into.get("cls.predictions.decoder.weight"), "still one tensor");
        assertArrayEquals(from.get("cls.predictions.decoder.weight").toFloatArray(), into.get("cls.predictions.decoder.weight").toFloatArray());
    }

    @Test
    void strictReportsEverythingTogetherAndLoadsNothing() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(Fixtures.file("bert_legacy_names.bin"));
        Node emb = new Node().put("word_embeddings", new Embedding(11, 8, GEN)).put("LayerNorm", new LayerNorm(8))
                .put("token_type_embeddings", new Embedding(3, 8, GEN)); // 3 rows where the file has 2
        Node model = new Node().put("language_model", new Node().put("language_model", new Node().put("embeddings", emb)
                .put("extra", new Linear(2, 2, GEN))));
        float[] before = model.get("language_model.language_model.embeddings.LayerNorm.weight").toFloatArray();

        WeightLoadException e = assertThrows(WeightLoadException.class, () -> WeightLoader.load(model, src, true));
        assertArrayEquals(before, model.get("language_model.language_model.embeddings.LayerNorm.weight").toFloatArray(), "nothing loaded");
        String msg = e.getMessage();
        assertTrue(msg.contains("missing (2): [language_model.language_model.extra.weight, language_model.language_model.extra.bias]"), msg);
        assertTrue(msg.contains("bert.embeddings.token_type_embeddings.weight (as language_model.language_model.embeddings.token_type_embeddings.weight)"
                + ": checkpoint [2, 8], module [3, 8]"), msg);
        assertTrue(msg.contains("cls.predictions.bias"), msg);

        LoadReport r = WeightLoader.load(model, src, false);
        assertEquals(e.report().missing(), r.missing());
        assertEquals("language_model.language_model.embeddings.LayerNorm.weight", r.loaded().get("bert.embeddings.LayerNorm.gamma"));
        assertArrayEquals(src.get("bert.embeddings.LayerNorm.gamma").toFloatArray(),
                model.get("language_model.language_model.embeddings.LayerNorm.weight").toFloatArray());
        assertTrue(r.unexpected().containsKey("bert.encoder.layer.0.attention.self.query.weight"), r.unexpected().toString());
    }

    @Test
    void readTellsFormatsByContent() throws Exception {
        Map<String, Tensor> w = Map.of("a.weight", Tensor.of(new float[]{1, 2}, 2));
        Path plain = tmp.resolve("plain.pt"); // safetensors despite the name
        TensorFiles.save(plain, w);
        assertEquals(Set.of("a.weight"), WeightLoader.read(plain).keySet());

        Path ours = tmp.resolve("checkpoint.safetensors");
        new Checkpoint(w, Map.of("state.a.weight", Tensor.of(new float[]{0, 0}, 2)), 3, 1, Map.of(), Map.of()).save(ours);
        assertEquals(Set.of("a.weight"), WeightLoader.read(ours).keySet(), "a training checkpoint gives its model part");

        assertEquals(TorchCheckpoint.load(Fixtures.file("vgg16_tiny.pth")).keySet(), WeightLoader.read(Fixtures.file("vgg16_tiny.pth")).keySet());

        Path junk = tmp.resolve("junk.bin");
        Files.writeString(junk, "not weights");
        var e = assertThrows(CheckpointException.class, () -> WeightLoader.read(junk));
        assertTrue(e.getMessage().contains(junk + ": unknown format"), e.getMessage());
    }
}
