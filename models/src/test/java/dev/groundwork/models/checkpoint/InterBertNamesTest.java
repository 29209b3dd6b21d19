package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which network a file holds, by its names alone, and the two InterBERT name maps of {@code gw convert}, on torch-written files. */
class InterBertNamesTest {
    static Path file(String name) { return Fixtures.dir().resolve("interbert").resolve(name); }

    static LinkedHashMap<String, int[]> shapes(Path p) throws IOException {
        LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
        for (var i : CheckpointFile.open(p).infos()) {
            int[] s = new int[i.shape().length];
            for (int d = 0; d < s.length; d++) s[d] = Math.toIntExact(i.shape()[d]);
            m.put(i.name(), s);
        }
        return m;
    }

    @Test
    void eachFileIsRecognisedWithItsHeads() throws Exception {
        var pre = InterBertNames.recognise(shapes(file("pytorch_model_0.bin")));
        assertEquals("InterBERT, InterBertForMultiModalPreTraining: text layers 4 (single-stream then text-only; the split is the config's),"
                + " image layers 1; heads: MLM over 13 words (cls.predictions, decoder stored), region prediction, 5 outputs"
                + " (cls.imagePredictions), image-text matching (cls.bi_seq_relationship)", pre.describe());
        assertEquals(pre, InterBertNames.recognise(shapes(file("pytorch_model_0_dataparallel.bin"))), "module. makes no difference");

        var vl = InterBertNames.recognise(shapes(file("pytorch_model_4_ema.bin")));
        assertEquals("InterBertForVLTasks", vl.model());
        assertEquals("fine-tuning: vil_prediction, vil_logit, vision_logit, linguisic_logit (1 labels)", vl.heads().getLast());

        var bert = InterBertNames.recognise(shapes(file("bert-tiny/pytorch_model.bin")));
        assertEquals(InterBertNames.Family.BERT, bert.family());
        assertEquals("BERT, BertForPreTraining: layers 4; heads: MLM over 13 words (cls.predictions, decoder stored),"
                + " next sentence (cls.seq_relationship), tanh pooler (bert.pooler)", bert.describe());

        assertNull(InterBertNames.recognise(shapes(Fixtures.file("vgg16_tiny.pth"))));
        assertNull(InterBertNames.recognise(shapes(Fixtures.file("vgbert_stage1.pth.tar"))));
        assertEquals("BertModel", InterBertNames.recognise(Map.of("embeddings.word_embeddings.weight", new int[]{3, 2},
                "encoder.layer.0.output.dense.weight", new int[]{2, 2})).model());
    }

    @Test
    void bertToInterbertKeepsTheNamesInterbertLoadsAndDropsThePoolerAndNspHead() throws Exception {
        Map<String, Tensor> src = TorchCheckpoint.load(file("bert-tiny/pytorch_model.bin"));
        assertNull(CheckpointNames.refusal(CheckpointNames.Scheme.BERT_TO_INTERBERT, src.keySet()));
        var m = CheckpointNames.apply(src, CheckpointNames.Scheme.BERT_TO_INTERBERT);
        assertTrue(m.entries().containsKey("bert.encoder.layer.3.output.LayerNorm.weight"), m.entries().keySet().toString());
        assertTrue(m.entries().containsKey("cls.predictions.decoder.weight") && m.entries().containsKey("cls.predictions.transform.LayerNorm.bias"));
        assertTrue(m.entries().keySet().stream().noneMatch(n -> n.startsWith("bert.pooler") || n.startsWith("cls.seq_relationship") || n.endsWith("gamma")));
        assertEquals(2, m.notes().size(), m.notes().toString());
        assertTrue(m.notes().getFirst().startsWith("dropped 2 tensor(s), BERT's tanh pooler"), m.notes().toString());

        // A BertModel file under DataParallel gets bert. back.
        Map<String, Integer> bare = new LinkedHashMap<>();
        bare.put("module.embeddings.word_embeddings.weight", 0);
        bare.put("module.encoder.layer.0.output.LayerNorm.gamma", 1);
        bare.put("module.pooler.dense.bias", 2);
        var b = CheckpointNames.apply(bare, CheckpointNames.Scheme.BERT_TO_INTERBERT);
        assertEquals(List.of("bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.output.LayerNorm.weight"), List.copyOf(b.entries().keySet()));
    }

    @Test
    void aMapOfTheWrongKindIsRefusedSayingWhatTheFileIs() throws Exception {
        var bert = TorchCheckpoint.load(file("bert-tiny/pytorch_model.bin")).keySet();
        var inter = TorchCheckpoint.load(file("pytorch_model_0_dataparallel.bin")).keySet();
        var vgg = TorchCheckpoint.load(Fixtures.file("vgg16_tiny.pth")).keySet();
        assertNull(CheckpointNames.refusal(CheckpointNames.Scheme.INTERBERT, inter));
        assertEquals("--map interbert takes an original InterBERT checkpoint (bert.v_embeddings, bert.encoder.v_layer, cls.bi_seq_relationship, ...);"
                + " this file is a BERT checkpoint (use --map hf-bert, or --map bert-interbert for InterBERT's names)",
                CheckpointNames.refusal(CheckpointNames.Scheme.INTERBERT, bert));
        assertTrue(CheckpointNames.refusal(CheckpointNames.Scheme.BERT_TO_INTERBERT, inter).endsWith("this file is an InterBERT checkpoint (use --map interbert)"));
        assertTrue(CheckpointNames.refusal(CheckpointNames.Scheme.BERT_TO_INTERBERT, vgg).endsWith("neither BERT nor InterBERT"));
        assertEquals("--map hf-bert does not fit this file: it is an InterBERT checkpoint (use --map interbert)",
                CheckpointNames.refusal(CheckpointNames.Scheme.HF_BERT, inter));
        assertNull(CheckpointNames.refusal(CheckpointNames.Scheme.HF_BERT, bert));
        assertNull(CheckpointNames.refusal(CheckpointNames.Scheme.NONE, inter));

        var mapped = CheckpointNames.apply(TorchCheckpoint.load(file("pytorch_model_0_dataparallel.bin")), CheckpointNames.Scheme.INTERBERT);
        assertEquals(TorchCheckpoint.load(file("pytorch_model_0.bin")).keySet(), mapped.entries().keySet(), "module. stripped, nothing else");
    }
}
