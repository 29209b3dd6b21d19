package dev.groundwork.models.interbert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the original config format (spec 1.7): constructor defaults for absent keys, and refusals that name the field. */
class InterBertConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The keys and values of the shipped bert_base_6layer_interbert.json, as spec 1.7 lists them. */
    static ObjectNode shipped() {
        ObjectNode n = JSON.createObjectNode();
        n.put("attention_probs_dropout_prob", 0.1).put("hidden_act", "gelu").put("hidden_dropout_prob", 0.1)
                .put("hidden_size", 768).put("initializer_range", 0.02).put("intermediate_size", 3072)
                .put("max_position_embeddings", 512).put("num_attention_heads", 12).put("num_hidden_layers", 6)
                .put("type_vocab_size", 2).put("vocab_size", 30522).put("t_num_hidden_layers", 6)
                .put("v_feature_size", 2048).put("v_target_size", 1601).put("v_hidden_size", 768)
                .put("v_num_hidden_layers", 6).put("v_num_attention_heads", 8).put("v_intermediate_size", 3072)
                .put("v_attention_probs_dropout_prob", 0.1).put("v_hidden_act", "gelu").put("v_hidden_dropout_prob", 0.2)
                .put("v_initializer_range", 0.02).put("pooling_method", "mul").put("conv_layer", "normal_conv")
                .put("max_region_length", 36).put("max_seq_length", 36);
        return n;
    }

    static String refusal(JsonNode n) {
        return assertThrows(IllegalArgumentException.class, () -> InterBertConfig.fromJson(n)).getMessage();
    }

    @Test
    void theShippedFileReadsAsTheOriginalModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bert_base_6layer_interbert.json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shipped()));
        InterBertConfig c = InterBertConfig.fromJson(file);
        assertEquals(InterBertConfig.original(), c);
        // the two fields the JSON does not carry come from the constructor (spec 8.10)
        assertEquals(1024, c.biHiddenSize());
        assertEquals(Fusion.MUL, c.fusionMethod());
        assertEquals(96, c.imageConfig().headDim());
        assertEquals(64, c.textConfig().headDim());
        assertEquals(0.2, c.imageConfig().hiddenDropoutProb());
    }

    @Test
    void absentKeysTakeTheConstructorDefaultsNotTheShippedValues() {
        ObjectNode n = JSON.createObjectNode().put("vocab_size", 100).put("t_num_hidden_layers", 2);
        InterBertConfig c = InterBertConfig.fromJson(n);
        assertEquals(12, c.numHiddenLayers());
        assertEquals(3, c.vNumHiddenLayers());
        assertEquals(12, c.vNumAttentionHeads());
        assertEquals(0.1, c.vHiddenDropoutProb());
        assertEquals(1601, c.vTargetSize());
        assertEquals(1024, c.biHiddenSize());
        assertEquals(Fusion.MUL, c.fusionMethod());
        assertEquals(false, c.predictFeature());
    }

    @Test
    void sumFusionAndPredictFeatureAreRead() {
        ObjectNode n = shipped().put("fusion_method", "sum").put("predict_feature", true).put("v_target_size", 2048);
        InterBertConfig c = InterBertConfig.fromJson(n);
        assertEquals(Fusion.SUM, c.fusionMethod());
        assertTrue(c.predictFeature());
    }

    @Test
    void badConfigsAreRefusedWithTheFieldNamed() {
        assertTrue(refusal(shipped().put("hidden_act", "tanh")).contains("hidden_act \"tanh\" is unknown"));
        assertTrue(refusal(shipped().put("v_hidden_act", "relu")).contains("v_hidden_act \"relu\" is not implemented"));
        assertTrue(refusal(shipped().put("v_hidden_size", 1024)).contains("v_hidden_size 1024 must equal hidden_size 768"));
        assertTrue(refusal(shipped().put("fusion_method", "concat")).contains("fusion_method 'concat'"));
        assertTrue(refusal(shipped().put("v_num_attention_heads", 5)).contains("v_num_attention_heads 5"));
        assertTrue(refusal(shipped().put("hidden_size", "768")).contains("hidden_size must be an integer"));
        assertTrue(refusal(shipped().put("v_hidden_dropout_prob", 1.0)).contains("v_hidden_dropout_prob"));
        assertTrue(refusal(shipped().put("predict_feature", true)).contains("v_target_size 1601 must equal v_feature_size 2048"));
        ObjectNode noVocab = shipped();
        noVocab.remove("vocab_size");
        assertTrue(refusal(noVocab).contains("vocab_size is missing"));
        ObjectNode noText = shipped();
        noText.remove("t_num_hidden_layers");
        assertTrue(refusal(noText).contains("t_num_hidden_layers is missing"));
    }

    @Test
    void aFileNamesItselfInItsRefusal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, shipped().put("v_hidden_size", 512).toString());
        String msg = assertThrows(IllegalArgumentException.class, () -> InterBertConfig.fromJson(file)).getMessage();
        assertTrue(msg.startsWith(file.toString()) && msg.contains("v_hidden_size 512"), msg);
    }
}
