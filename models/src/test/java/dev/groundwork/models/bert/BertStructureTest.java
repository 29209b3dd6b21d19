package dev.groundwork.models.bert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Names, counts, config reading, HF init and weight tying. */
class BertStructureTest {
    static final BertConfig TINY = new BertConfig(50, 16, 2, 4, 32, "gelu", 0.1, 0.1, 20, 2, 0.02, 1e-12, 0);

    @Test
    void oneBaseLayerHasTheSpecCount() {
        // spec 1.3: one BERT layer at hidden 768 / FFN 3072 = 7,087,872 parameters
        assertEquals(7_087_872, new BertLayer(BertConfig.base(), new Generator(1)).numParameters());
    }

    @Test
    void bertBaseHas109_5MParameters() {
        BertModel m = new BertModel(BertConfig.base(), new Generator(1));
        // 23,837,184 embeddings + 12 x 7,087,872 layers + 590,592 pooler
        assertEquals(109_482_240, m.numParameters());
        assertEquals(5 + 12 * 16 + 2, m.namedParameters().size());
    }

    @Test
    void parameterNamesAreHuggingFaces() {
        List<String> expected = new ArrayList<>(List.of("embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int l = 0; l < 2; l++) {
            String p = "encoder.layer." + l + ".";
            for (String s : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                    "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm")) {
                expected.add(p + s + ".weight");
                expected.add(p + s + ".bias");
            }
        }
        expected.add("pooler.dense.weight");
        expected.add("pooler.dense.bias");
        assertEquals(expected, new ArrayList<>(new BertModel(TINY, new Generator(1)).stateDict().keySet()));
    }

    @Test
    void configReadsHfJsonWithDefaultsAndRefusesOtherActivations() throws Exception {
        var om = new ObjectMapper();
        BertConfig c = BertConfig.fromJson(om.readTree("{\"hidden_size\": 64, \"num_attention_heads\": 4, \"vocab_size\": 512}"));
        assertEquals(64, c.hiddenSize());
        assertEquals(12, c.numHiddenLayers());
        assertEquals(3072, c.intermediateSize());
        assertEquals(0.1, c.attentionProbsDropoutProb());
        assertEquals(1e-12, c.layerNormEps());
        assertEquals(BertConfig.base(), BertConfig.fromJson(om.readTree("{}")));
        var e = assertThrows(IllegalArgumentException.class, () -> BertConfig.fromJson(om.readTree("{\"hidden_act\": \"relu\"}")));
        assertTrue(e.getMessage().contains("relu"));
        assertThrows(IllegalArgumentException.class, () -> BertConfig.fromJson(om.readTree("{\"hidden_size\": 100}")));
    }

    @Test
    void hfInitialisation() {
        BertModel m = new BertModel(TINY.withLayers(1).withDropout(0), new Generator(3));
        BertConfig big = new BertConfig(2000, 64, 1, 4, 64, "gelu", 0, 0, 20, 2, 0.02, 1e-12, 0);
        float[] w = new BertModel(big, new Generator(3)).get("embeddings.word_embeddings.weight").toFloatArray();
        double ss = 0;
        for (int i = 64; i < w.length; i++) ss += w[i] * w[i];
        assertEquals(0.02, Math.sqrt(ss / (w.length - 64)), 0.001);
        for (int i = 0; i < 64; i++) assertEquals(0f, w[i], "padding row 0 starts at zero");
        for (float v : m.get("encoder.layer.0.attention.self.query.bias").toFloatArray()) assertEquals(0f, v);
        for (float v : m.get("encoder.layer.0.output.LayerNorm.weight").toFloatArray()) assertEquals(1f, v);
        for (float v : m.get("embeddings.LayerNorm.bias").toFloatArray()) assertEquals(0f, v);
        // reproducible from the generator's seed
        assertArrayEquals(m.get("pooler.dense.weight").toFloatArray(),
                new BertModel(TINY.withLayers(1).withDropout(0), new Generator(3)).get("pooler.dense.weight").toFloatArray());
    }

    @Test
    void decoderIsTiedToTheWordEmbeddings() {
        BertForPreTraining m = new BertForPreTraining(TINY, new Generator(2));
        Tensor emb = m.get("bert.embeddings.word_embeddings.weight");
        assertSame(emb, m.get("cls.predictions.decoder.weight"));
        var sd = m.stateDict();
        for (String n : List.of("cls.predictions.bias", "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                "cls.predictions.decoder.weight", "cls.seq_relationship.weight", "cls.seq_relationship.bias"))
            assertTrue(sd.containsKey(n), n);
        assertFalse(m.namedParameters().containsKey("cls.predictions.decoder.weight"), "a tied tensor is listed once");
        // gradients from the MLM head reach the embedding table through the tied tensor
        Tensor ids = Tensor.ofLongs(new long[]{1, 2, 3, 4}, 1, 4);
        BertPreTrainingHeads.Output o = m.forward(ids, null, null);
        assertArrayEquals(new int[]{1, 4, 50}, o.predictionLogits().shape());
        assertArrayEquals(new int[]{1, 2}, o.seqRelationshipLogits().shape());
        o.predictionLogits().sum().backward();
        assertNotNull(emb.grad());
        assertNotNull(m.get("cls.predictions.bias").grad());
    }
}
