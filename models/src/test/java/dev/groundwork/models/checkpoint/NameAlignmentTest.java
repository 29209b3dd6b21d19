package dev.groundwork.models.checkpoint;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each naming rule of {@link NameAlignment} on names and shapes alone, then all of them in one report. */
class NameAlignmentTest {
    static final int[] V = {7}, M = {3, 7};

    /** Names with shapes, in order: "a", V, "b", M ... */
    static LinkedHashMap<String, int[]> shapes(Object... nameShape) {
        LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameShape.length; i += 2) m.put((String) nameShape[i], (int[]) nameShape[i + 1]);
        return m;
    }

    static NameAlignment.ModuleNames module(LinkedHashMap<String, int[]> state) {
        return new NameAlignment.ModuleNames("Net", state, Map.of(), Set.of());
    }

    static LoadReport plan(LinkedHashMap<String, int[]> source, NameAlignment.ModuleNames module) {
        return NameAlignment.plan(source, module).report();
    }

    @Test
    void namesThatFitAreKeptEvenWhenAnotherSpellingWouldAlsoFit() {
        // InterBERT's own names carry bert.; a module holding both spellings keeps the literal one.
        var r = plan(shapes("bert.encoder.w", M, "encoder.w", M), module(shapes("bert.encoder.w", M, "encoder.w", M)));
        assertEquals(Map.of("bert.encoder.w", "bert.encoder.w", "encoder.w", "encoder.w"), r.loaded());
        assertTrue(r.isClean() && r.notes().isEmpty(), r.problems());
    }

    @Test
    void dataParallelPrefixIsStripped() {
        var r = plan(shapes("module.fc.weight", M, "module.module.fc.bias", V), module(shapes("fc.weight", M, "fc.bias", V)));
        assertEquals(Map.of("module.fc.weight", "fc.weight", "module.module.fc.bias", "fc.bias"), r.loaded());
        assertTrue(r.isClean(), r.problems());
    }

    @Test
    void hfBertPrefixIsStripped() {
        var r = plan(shapes("bert.pooler.dense.weight", M), module(shapes("pooler.dense.weight", M)));
        assertEquals(Map.of("bert.pooler.dense.weight", "pooler.dense.weight"), r.loaded());
    }

    @Test
    void legacyLayerNormGammaAndBetaAreWeightAndBias() {
        var r = plan(shapes("enc.LayerNorm.gamma", V, "enc.LayerNorm.beta", V),
                module(shapes("enc.LayerNorm.weight", V, "enc.LayerNorm.bias", V)));
        assertEquals(Map.of("enc.LayerNorm.gamma", "enc.LayerNorm.weight", "enc.LayerNorm.beta", "enc.LayerNorm.bias"), r.loaded());
    }

    @Test
    void torchvisionFeaturesAreImageModelAndItsClassifierIsDroppedWithANote() {
        var r = plan(shapes("features.0.weight", M, "features.40.bias", V, "attention.q.weight", M, "classifier.6.bias", V),
                module(shapes("image_model.0.weight", M, "image_model.40.bias", V, "attention.q.weight", M)));
        assertEquals(Map.of("features.0.weight", "image_model.0.weight", "features.40.bias", "image_model.40.bias",
                "attention.q.weight", "attention.q.weight"), r.loaded());
        assertEquals(Set.of("classifier.6.bias"), r.dropped().keySet());
        assertTrue(r.dropped().get("classifier.6.bias").contains("torchvision VGG classifier"), r.dropped().toString());
        assertTrue(r.isClean(), r.problems());
    }

    @Test
    void torchvisionNamesStayWhereTheModuleUsesThem() {
        // Our Vgg16 keeps torchvision's own names: nothing is renamed, and its classifier is loaded, not dropped.
        var r = plan(shapes("features.0.weight", M, "classifier.0.weight", M), module(shapes("features.0.weight", M, "classifier.0.weight", M)));
        assertEquals(Map.of("features.0.weight", "features.0.weight", "classifier.0.weight", "classifier.0.weight"), r.loaded());
        assertTrue(r.dropped().isEmpty());
    }

    @Test
    void aClassifierWithoutTorchvisionFeaturesIsUnexpected() {
        var r = plan(shapes("fc.weight", M, "classifier.0.weight", M), module(shapes("fc.weight", M)));
        assertEquals(Map.of("classifier.0.weight", "classifier.0.weight"), r.unexpected());
    }

    @Test
    void nonPersistentBuffersAreDropped() {
        var module = new NameAlignment.ModuleNames("Bert", shapes("embeddings.word_embeddings.weight", M),
                Map.of(), Set.of("embeddings.position_ids"));
        var r = plan(shapes("bert.embeddings.word_embeddings.weight", M, "bert.embeddings.position_ids", new int[]{1, 5}), module);
        assertEquals(Set.of("bert.embeddings.position_ids"), r.dropped().keySet());
        assertTrue(r.dropped().get("bert.embeddings.position_ids").contains("non-persistent buffer embeddings.position_ids"));
        assertTrue(r.isClean(), r.problems());
    }

    @Test
    void aDecoderTiedToTheWordEmbeddingsIsDroppedWhereTheModuleHasNone() {
        var r = plan(shapes("embeddings.word_embeddings.weight", M, "cls.predictions.decoder.weight", M),
                module(shapes("embeddings.word_embeddings.weight", M)));
        assertEquals(Set.of("cls.predictions.decoder.weight"), r.dropped().keySet());
        assertTrue(r.isClean(), r.problems());
        // Of another shape it is not the tied decoder: unexpected.
        var other = plan(shapes("embeddings.word_embeddings.weight", M, "cls.predictions.decoder.weight", new int[]{4, 7}),
                module(shapes("embeddings.word_embeddings.weight", M)));
        assertEquals(Set.of("cls.predictions.decoder.weight"), other.unexpected().keySet());
    }

    @Test
    void aTiedModuleNameIsFedThroughItsTensorsOtherName() {
        var state = shapes("bert.embeddings.word_embeddings.weight", M, "cls.predictions.decoder.weight", M);
        var module = new NameAlignment.ModuleNames("Pretraining", state,
                Map.of("cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight"), Set.of());
        // The file lacks the decoder: not missing, fed from the word embeddings.
        var plan = NameAlignment.plan(shapes("bert.embeddings.word_embeddings.weight", M), module);
        assertTrue(plan.report().isClean(), plan.report().problems());
        assertEquals(Map.of("bert.embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight",
                "cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight"), plan.feed());
        // The file has both: both are reported loaded, and the word embeddings (first in the module) feed the tensor.
        var both = NameAlignment.plan(shapes("cls.predictions.decoder.weight", M, "bert.embeddings.word_embeddings.weight", M), module);
        assertEquals(2, both.report().loaded().size());
        assertEquals("bert.embeddings.word_embeddings.weight", both.feed().get("cls.predictions.decoder.weight"));
    }

    @Test
    void aWholeNetworkFindsItsNestedPlace() {
        var state = shapes("image_model.w", M, "language_model.language_model.embeddings.w", M,
                "language_model.language_model.pooler.w", M, "language_model.language_model.pooler.b", V);
        var r = plan(shapes("bert.embeddings.w", M, "bert.pooler.w", M, "bert.pooler.b", V), module(state));
        assertEquals(List.of("language_model.language_model.embeddings.w", "language_model.language_model.pooler.w",
                "language_model.language_model.pooler.b"), List.copyOf(r.loaded().values()));
        assertEquals(List.of("image_model.w"), r.missing());
        assertEquals(1, r.notes().size(), r.notes().toString());
    }

    @Test
    void strayNamesNeverPullARewrite() {
        // head_a and head_b have equal shapes; re-rooting one onto the other would load it silently.
        var r = plan(shapes("body.w", M, "body.b", V, "head_a.w", M, "head_a.b", V),
                module(shapes("body.w", M, "body.b", V, "head_b.w", M, "head_b.b", V)));
        assertEquals(List.of("head_b.w", "head_b.b"), r.missing());
        assertEquals(Set.of("head_a.w", "head_a.b"), r.unexpected().keySet());
    }

    @Test
    void twoSpellingsOfOneTensorAreAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> plan(
                shapes("bert.embeddings.LayerNorm.gamma", V, "embeddings.LayerNorm.weight", V), module(shapes("embeddings.LayerNorm.weight", V))));
        assertTrue(e.getMessage().contains("bert.embeddings.LayerNorm.gamma") && e.getMessage().contains("embeddings.LayerNorm.weight"), e.getMessage());
    }

    @Test
    void oneReportNamesMissingUnexpectedAndMismatchedByTheCheckpointsNames() {
        var r = plan(shapes("bert.a.LayerNorm.gamma", V, "bert.b.weight", new int[]{4, 7}, "bert.stray", V),
                module(shapes("a.LayerNorm.weight", V, "b.weight", M, "c.weight", M)));
        assertEquals(Map.of("bert.a.LayerNorm.gamma", "a.LayerNorm.weight"), r.loaded());
        assertEquals(List.of("c.weight"), r.missing());
        assertEquals(Map.of("bert.stray", "stray"), r.unexpected());
        assertEquals(1, r.mismatched().size());
        String msg = r.problems();
        assertTrue(msg.contains("missing (1): [c.weight]"), msg);
        assertTrue(msg.contains("unexpected (1): [bert.stray (read as stray)]"), msg);
        assertTrue(msg.contains("bert.b.weight (as b.weight): checkpoint [4, 7], module [3, 7]"), msg);
        assertTrue(msg.contains("nothing was loaded"), msg);
    }

    @Test
    void expectedFreshAndDiscardedPartsAreReportedWithTheirReasonsAndAnythingElseStaysAProblem() {
        var expect = new LoadExpectations(Map.of("img", "not in the file", "img.head.bias", "narrower rule"),
                Map.of("bert.pooler", "no place for it"));
        var state = shapes("enc.w", M, "img.w", M, "img.head.bias", V, "imgx.w", M);
        var r = NameAlignment.plan(shapes("module.enc.w", M, "module.bert.pooler.dense.gamma", V, "bert.poolerx", V),
                module(state), expect).report();
        assertEquals(Map.of("img.w", "not in the file", "img.head.bias", "narrower rule"), r.fresh());
        assertEquals(List.of("imgx.w"), r.missing(), "a prefix covers whole components only");
        assertEquals(Map.of("module.bert.pooler.dense.gamma", "no place for it"), r.dropped(), "matched under its modern spelling");
        assertEquals(Set.of("bert.poolerx"), r.unexpected().keySet());
        assertTrue(r.problems().contains("missing (1): [imgx.w]") && !r.problems().contains("img.w,"), r.problems());
    }

    @Test
    void aDiscardedPartIsMatchedAfterTheReroot() {
        // A BertModel file (no bert.) into a module whose BERT sits under bert.: its pooler is re-rooted, then discarded.
        var expect = new LoadExpectations(Map.of(), Map.of("bert.pooler", "BERT's pooler"));
        var r = NameAlignment.plan(shapes("embeddings.w", M, "encoder.layer.0.w", M, "pooler.dense.w", M),
                module(shapes("bert.embeddings.w", M, "bert.encoder.layer.0.w", M)), expect).report();
        assertTrue(r.isClean(), r.problems());
        assertEquals(Map.of("pooler.dense.w", "BERT's pooler"), r.dropped());
    }

    @Test
    void nameGroupsFoldLayersIntoRuns() {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) for (String p : List.of("q.weight", "q.bias")) names.add("bert.encoder.layer." + i + "." + p);
        names.addAll(List.of("bert.embeddings.LayerNorm.weight", "cls.predictions.bias", "vil_logit.weight", "bert.encoder.layer.14.x",
                "image_model.0.weight", "image_model.2.weight"));
        assertEquals("bert.encoder.layer.0-11 (24), bert.embeddings (1), cls.predictions (1), vil_logit (1), bert.encoder.layer.14 (1), "
                + "image_model.0 (1), image_model.2 (1)", NameGroups.compact(names));
    }
}
