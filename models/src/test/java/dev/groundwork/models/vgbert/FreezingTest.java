package dev.groundwork.models.vgbert;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.train.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** §2.5 freezing sets. */
class FreezingTest {
    @Test
    void paperBertTrainableCountsMatchTheSpec() {
        BertConfig base = BertConfig.base();
        assertEquals(47_253_504L, Freezing.bertTrainable(base, 8, true));   // "47.3 M" (stage 2)
        assertEquals(11_813_376L, Freezing.bertTrainable(base, 2, true));   // "11.8 M" (stage 3)
    }

    @Test
    void analyticCountMatchesTheBuiltModel() {
        VgBertConfig c = TinyVgBert.config();
        for (int n = 0; n <= 2; n++) {
            TwoStreamModel m = new TwoStreamModel(c, n, new Generator(1));
            long bert = m.namedTrainableParameters().entrySet().stream().filter(e -> e.getKey().startsWith(Freezing.BERT + "."))
                    .mapToLong(e -> e.getValue().numel()).sum();
            assertEquals(Freezing.bertTrainable(c.bert(), n, true), bert, "N = " + n);
        }
    }

    @Test
    void stageTwoAndThreeTrainExactlyTheRightNames() {
        VgBertConfig c = TinyVgBert.config();
        RelationalModel m = new RelationalModel(c, 1, new Generator(1));
        Set<String> t = m.namedTrainableParameters().keySet();
        for (String n : m.namedParameters().keySet()) {
            boolean expected;
            if (n.startsWith("image_model.image_model.")) expected = false;                    // VGG convs
            else if (n.startsWith("image_model.")) expected = true;                            // embedder + attention (+ position table)
            else if (n.startsWith(Freezing.BERT + ".")) expected = n.startsWith(Freezing.BERT + ".encoder.layer.1.")
                    && !n.contains(".attention.self.query.") && !n.contains(".attention.self.key.");
            else expected = true;                                                              // cross attention, classifier
            assertEquals(expected, t.contains(n), n);
        }
        assertTrue(t.contains("image_model.attention.position_embeddings.weight") || t.stream().anyMatch(s -> s.startsWith("image_model.attention.position")));
        assertTrue(m.isTraining(), "frozen modules stay in train mode (§9.16)");
    }

    /** --train-backbone: also the VGG convs, BERT's embeddings and the learnable layers' query/key; lower layers stay frozen. */
    @Test
    void unfreezingThePretrainedPartsForRunsFromScratch() {
        VgBertConfig c = TinyVgBert.config();
        TwoStreamModel m = new TwoStreamModel(c, 1, new Generator(1));
        Freezing.unfreezePretrained(m, c.bert().numHiddenLayers(), 1);
        Set<String> t = m.namedTrainableParameters().keySet();
        for (String n : m.namedParameters().keySet()) {
            boolean expected;
            if (n.startsWith(Freezing.BERT + ".encoder.layer.0.") || n.startsWith(Freezing.BERT + ".pooler.")) expected = false;
            else expected = true;   // VGG convs, embedder, attention, embeddings, all of layer 1 (query/key too), heads
            assertEquals(expected, t.contains(n), n);
        }
        assertThrows(IllegalArgumentException.class, () -> Freezing.unfreezePretrained(m, 2, 3));
    }

    @Test
    void transferTrainsOnlyItsHeads() {
        TransferModel m = new TransferModel(TinyVgBert.config(), new Generator(1));
        for (String n : m.namedTrainableParameters().keySet())
            assertTrue(n.startsWith("image_projection_head.") || n.startsWith("language_projection_head."), n);
        assertEquals(Set.of("image_projection_head.0.weight", "image_projection_head.0.bias", "image_projection_head.3.weight",
                "image_projection_head.3.bias", "language_projection_head.0.weight", "language_projection_head.0.bias",
                "language_projection_head.3.weight", "language_projection_head.3.bias"), m.namedTrainableParameters().keySet());
    }

    @Test
    void learnableLayersOutOfRangeNamesTheSetting() {
        var e = assertThrows(InvalidSettingException.class, () -> new TwoStreamModel(TinyVgBert.config(), 3, new Generator(1)));
        assertEquals("learnableLayers", e.setting());
        assertTrue(e.getMessage().startsWith("learnableLayers must be between 0 and 2"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
