package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.interbert.eval.RetrievalEvaluation;
import dev.groundwork.models.text.RealVocab;
import dev.groundwork.models.train.Trainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's pipeline at a fraction of its size (seconds): synthetic data → pretraining → zero-shot
 * retrieval → Flickr fine-tuning → retrieval → VCR, checking the direction of learning (losses fall, the
 * fine-tuned ITM head ranks better than chance) and that every output the commands promise is written.
 */
class InterBertPipelineTest {
    @TempDir Path dir;

    @Test
    void tinyPipelineLearns() throws Exception {
        Path vocab = RealVocab.locate();
        if (vocab == null && System.getenv("CI") != null) throw new AssertionError("../shared/data/bert-base-uncased-vocab.txt not found (CI is set)");
        Assumptions.assumeTrue(vocab != null, "needs ../shared/data/bert-base-uncased-vocab.txt (the demo vocabulary is cut from it)");
        InterBertDemo demo = new InterBertDemo(dir, vocab, 3, Device.CPU, 20, 0.075);
        demo.writeData();
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        Trainer.Result pre = demo.pretrain(log);
        assertTrue(Files.exists(demo.dir("pretrain").resolve(Trainer.BEST)));
        assertTrue(mean(pre.stepLosses(), true) < mean(pre.stepLosses(), false), "pretraining loss falls: " + pre.stepLosses());
        RetrievalEvaluation.Result zs = demo.retrieval(true, log);
        assertEquals(zs.captions() * zs.images(), zs.pairsComputed());
        Trainer.Result ft = demo.fineTuneFlickr(log);
        assertTrue(mean(ft.stepLosses(), true) < mean(ft.stepLosses(), false), "Flickr loss falls: " + ft.stepLosses());
        assertTrue(Files.exists(demo.dir("flickr").resolve(Trainer.BEST_EMA)));
        RetrievalEvaluation.Result fine = demo.retrieval(false, log);
        assertTrue(Files.exists(dir.resolve("eval-flickr/test_set0_result.json")) && Files.exists(dir.resolve("eval-flickr/retrieval.json")));
        // A second run over the same folder finds every block scored and computes no pair.
        RetrievalEvaluation.Result again = demo.retrieval(false, log);
        assertEquals(0, again.pairsComputed());
        assertEquals(fine.metrics(), again.metrics());
        Trainer.Result vcrRun = demo.fineTuneVcr(log);
        assertEquals(0, vcrRun.steps() % 2, "two optimizer steps per iteration");
        VcrEvaluation.Result vcr = demo.vcr(log);
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("eval-vcr/QA_result.json").toFile());
        var questions = dev.groundwork.models.interbert.data.VcrAnnotations.read(demo.data().resolve("VCR/val.jsonl")).questions();
        assertEquals(questions.size(), results.size());
        for (int i = 0; i < questions.size(); i++) {
            assertEquals(questions.get(i).imgId(), results.get(i).path("question_id").asText(), "aligned with the annotation order");
            double sum = 0;
            for (var p : results.get(i).path("answer")) sum += p.asDouble();
            assertEquals(1, sum, 1e-5);
        }
        assertTrue(Files.exists(dir.resolve("eval-vcr/QAR_result.json")));
        assertEquals(questions.size(), vcr.questions());
        vcrFitsItsTrainingQuestions(demo, log);
    }

    /**
     * The VCR part's learning direction at tiny size: the demo's VCR settings, more epochs, from the
     * pretraining weights; the joint loss (Q→A and QA→R steps) falls well below ln 4, where a model that
     * scores the four candidates alike stays.
     */
    private void vcrFitsItsTrainingQuestions(InterBertDemo demo, PrintStream log) throws Exception {
        VcrSettings d = demo.vcrSettings();
        VcrSettings s = new VcrSettings(d.data(), d.vocab(), d.config(), d.size(), d.init(), d.regionClasses(), VCR_FIT_LR, VCR_FIT_BATCH, VCR_FIT_EPOCHS,
                d.warmup(), d.emaDecay(), d.weightDecayRule(), d.weightDecay(), d.qaLength(), d.qarLength(), d.regions(), RunOptions.of(dir.resolve("vcr-fit"), 3));
        Trainer.Result fit = VcrFineTuning.run(s, log, new dev.groundwork.models.train.StopRequest());
        double first = mean(fit.stepLosses(), false), last = mean(fit.stepLosses(), true);
        assertTrue(last < Math.log(4) - 0.1 && last < first - 0.1, "VCR loss falls below ln 4: " + first + " -> " + last);
    }

    private static final double VCR_FIT_LR = 1e-4;
    private static final int VCR_FIT_EPOCHS = 10, VCR_FIT_BATCH = 4;

    /** The mean loss of the first (or last) third of the steps. */
    private static double mean(java.util.List<Double> l, boolean last) {
        int k = Math.max(1, l.size() / 3);
        return (last ? l.subList(l.size() - k, l.size()) : l.subList(0, k)).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
