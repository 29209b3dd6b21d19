package dev.groundwork.models.vgbert;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** §6.3 hand-offs with the original's names, and §9.6's explicit check of what loaded. */
class HandoffTest {
    @Test
    void stageTwoToThreeToTransferCarriesTheStreams() {
        VgBertConfig c = TinyVgBert.config();
        TwoStreamModel s2 = new TwoStreamModel(c, 2, new Generator(1));
        assertTrue(s2.stateDict().containsKey("image_projection_head.0.weight"));
        assertTrue(s2.stateDict().containsKey("language_projection_head.0.weight"));
        assertTrue(s2.stateDict().containsKey("language_model.language_model.encoder.layer.0.attention.self.query.weight"));
        assertTrue(s2.stateDict().containsKey("image_model.image_model.0.weight"));

        RelationalModel s3 = new RelationalModel(c, 1, new Generator(2));
        String msg = Handoff.load(s3, withModulePrefix(s2.stateDict()), Handoff.TWO_STREAM);
        assertTrue(msg.contains("dropped"), msg);
        assertArrayEquals(s2.stateDict().get("image_model.attention.query.weight").toFloatArray(),
                s3.stateDict().get("image_model.attention.query.weight").toFloatArray());
        assertTrue(s3.stateDict().containsKey("cross_attention_model.relational_matrix"));
        assertTrue(s3.stateDict().containsKey("object_classifier.3.weight"));

        TransferModel t = new TransferModel(c, new Generator(3));
        Handoff.load(t, s3.stateDict(), Handoff.RELATIONAL);
        assertArrayEquals(s3.stateDict().get("cross_attention_model.key_visual.weight").toFloatArray(),
                t.stateDict().get("cross_attention_model.key_visual.weight").toFloatArray());
    }

    @Test
    void aFileWithoutTheRequiredGroupsIsAnError() {
        VgBertConfig c = TinyVgBert.config();
        TwoStreamModel s2 = new TwoStreamModel(c, 2, new Generator(1));
        TransferModel t = new TransferModel(c, new Generator(3));
        // Stage 2 has no cross-attention: transfer must start from stage 3 (§9.5).
        var e = assertThrows(IllegalArgumentException.class, () -> Handoff.load(t, s2.stateDict(), Handoff.RELATIONAL));
        assertTrue(e.getMessage().contains("cross_attention_model"), e.getMessage());
    }

    private static Map<String, Tensor> withModulePrefix(Map<String, Tensor> m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put("module." + k, v));
        return out;
    }
}
