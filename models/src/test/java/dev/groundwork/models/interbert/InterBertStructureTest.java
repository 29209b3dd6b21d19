package dev.groundwork.models.interbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.nn.LoadResult;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter names, sizes and strict loading under the original checkpoint names (spec 1.5-1.8). */
class InterBertStructureTest {
    static final List<String> VL_HEADS = List.of("vil_prediction.weight", "vil_prediction.bias", "vil_logit.weight", "vil_logit.bias",
            "vision_logit.weight", "vision_logit.bias", "linguisic_logit.weight", "linguisic_logit.bias");

    /** Spec 1.8's count from shapes: 157,021,565 for pretraining, and 3,588 more for the VL heads (num_labels 1). */
    @Test
    void theOriginalSizesHaveTheSpecsParameterCount() {
        InterBertForVLTasks m = new InterBertForVLTasks(InterBertConfig.original(), 1, new Generator(0));
        Map<String, Tensor> p = m.namedParameters();
        long heads = 0;
        for (String h : VL_HEADS) heads += p.get(h).numel();
        assertEquals(3_588, heads);
        assertEquals(157_021_565L + 3_588, m.numParameters());
        assertTrue(p.containsKey("bert.encoder.layer.11.output.LayerNorm.bias"));
        assertFalse(p.containsKey("bert.encoder.layer.12.output.LayerNorm.bias"));
        assertTrue(p.containsKey("bert.encoder.v_layer.5.attention.self.query.weight"));
        assertArrayEquals(new int[]{1601, 768}, p.get("cls.imagePredictions.decoder.weight").shape());
        assertArrayEquals(new int[]{1024, 768}, p.get("bert.v_pooler.dense.weight").shape());
    }

    @Test
    void theMlmDecoderIsTheWordEmbeddingTable() {
        InterBertForMultiModalPreTraining m = new InterBertForMultiModalPreTraining(TinyInterBert.config(Fusion.MUL), new Generator(1));
        Map<String, Tensor> state = m.stateDict();
        assertSame(state.get("bert.embeddings.word_embeddings.weight"), state.get("cls.predictions.decoder.weight"));
        assertFalse(m.namedParameters().containsKey("cls.predictions.decoder.weight"), "one tensor, counted once");
    }

    /** A checkpoint saved as the original saves it (decoder weight included) loads strictly and reproduces the model. */
    @Test
    void aCheckpointCarryingTheDecoderWeightLoadsStrictly(@TempDir Path dir) throws Exception {
        InterBertForMultiModalPreTraining a = new InterBertForMultiModalPreTraining(TinyInterBert.config(Fusion.MUL), new Generator(1));
        Map<String, Tensor> saved = new LinkedHashMap<>();
        a.stateDict().forEach((n, t) -> saved.put(n, t.copy()));   // separate tensors per name, as torch.save writes them
        Path file = dir.resolve("pytorch_model_0.safetensors");
        TensorFiles.save(file, saved);
        Map<String, Tensor> loaded = TensorFiles.load(file);
        assertTrue(loaded.containsKey("cls.predictions.decoder.weight"));

        InterBertForMultiModalPreTraining b = new InterBertForMultiModalPreTraining(TinyInterBert.config(Fusion.MUL), new Generator(2));
        LoadResult r = b.loadStateDict(loaded, true);
        assertTrue(r.isClean());
        a.eval();
        b.eval();
        try (var s = GradMode.noGrad()) {
            InterBertInputs in = TinyInterBert.inputs(5, DType.F32);
            assertArrayEquals(a.forward(in).scores().predictionScoresT().toFloatArray(), b.forward(in).scores().predictionScoresT().toFloatArray());
            assertArrayEquals(a.forward(in).scores().seqRelationshipScore().toFloatArray(), b.forward(in).scores().seqRelationshipScore().toFloatArray());
        }

        Map<String, Tensor> wrong = new LinkedHashMap<>(loaded);
        wrong.put("cls.predictions.decoder.weight", Tensor.zeros(TinyInterBert.VOCAB + 1, TinyInterBert.H));
        String msg = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong, true)).getMessage();
        assertTrue(msg.contains("cls.predictions.decoder.weight"), msg);
    }

    /** Fine-tuning starts from the whole pretrained network: only the four VL heads are fresh (spec 1.6). */
    @Test
    void aPretrainingCheckpointLeavesOnlyTheVlHeadsFresh() {
        InterBertForMultiModalPreTraining pre = new InterBertForMultiModalPreTraining(TinyInterBert.config(Fusion.MUL), new Generator(1));
        InterBertForVLTasks vl = new InterBertForVLTasks(TinyInterBert.config(Fusion.MUL), 1, new Generator(2));
        LoadResult r = vl.loadStateDict(pre.stateDict(), false);
        assertEquals(VL_HEADS, r.missing());
        assertTrue(r.unexpected().isEmpty() && r.mismatched().isEmpty());
    }

    @Test
    void dropoutRatesFollowTheStacks() {
        InterBertForVLTasks m = new InterBertForVLTasks(TinyInterBert.config(Fusion.MUL), 1, new Generator(1));
        assertEquals(0.1, dropout(m, "bert.embeddings.dropout"));
        assertEquals(0.1, dropout(m, "bert.v_embeddings.dropout"), "image embeddings use hidden_dropout_prob, not the image 0.2");
        assertEquals(0.1, dropout(m, "bert.encoder.layer.0.output.dropout"));
        assertEquals(0.1, dropout(m, "bert.encoder.layer.1.attention.output.dropout"));
        assertEquals(0.2, dropout(m, "bert.encoder.v_layer.0.output.dropout"));
        assertEquals(0.2, dropout(m, "bert.encoder.v_layer.0.attention.output.dropout"));
        assertEquals(0.1, dropout(m, "cls.dropout"));
        assertEquals(0.1, dropout(m, "dropout"));
    }

    private static double dropout(InterBertForVLTasks m, String path) {
        return ((dev.groundwork.engine.nn.Dropout) m.submodule(path)).p();
    }
}
