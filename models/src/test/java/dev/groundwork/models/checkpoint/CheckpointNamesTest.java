package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The naming schemes {@code gw convert --map} applies, and the spellings {@link WeightLoader} tries. */
class CheckpointNamesTest {
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
    void spellingsGoFromLiteralToMostRewritten() {
        assertEquals(List.of("module.bert.enc.LayerNorm.gamma", "bert.enc.LayerNorm.weight", "enc.LayerNorm.weight"),
                CheckpointNames.spellings("module.bert.enc.LayerNorm.gamma"));
        assertEquals(List.of("features.34.weight", "image_model.34.weight"), CheckpointNames.spellings("features.34.weight"));
        assertEquals(List.of("fc.weight"), CheckpointNames.spellings("fc.weight"));
    }
}
