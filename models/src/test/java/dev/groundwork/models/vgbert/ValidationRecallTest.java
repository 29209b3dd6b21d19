package dev.groundwork.models.vgbert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.eval.RecallAtK;
import dev.groundwork.models.train.MetricsLog;
import dev.groundwork.models.train.OptimizerFactory;
import dev.groundwork.models.train.Schedule;
import dev.groundwork.models.train.ShuffledList;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** R@K over the validation pairs, against ranks counted by hand from each pair's own score. */
class ValidationRecallTest {
    /** Every pair (i, c) of the first {@code n} rows, scored one at a time by {@code score}. */
    private interface PairScore {
        double score(int image, int caption);
    }

    /** R@1/5/10 both ways from a full score table, counted directly: a query's rank is the wrong candidates scoring at least its partner's. */
    private static Map<String, Double> byHand(int n, PairScore s) {
        double[][] sc = new double[n][n];
        for (int i = 0; i < n; i++) for (int c = 0; c < n; c++) sc[i][c] = (float) s.score(i, c);
        int[] ks = {1, 5, 10};
        double[] i2t = new double[3], t2i = new double[3];
        for (int q = 0; q < n; q++) {
            int ahead = 0, aheadT = 0;
            for (int o = 0; o < n; o++) {
                if (o == q) continue;
                if (sc[q][o] >= sc[q][q]) ahead++;
                if (sc[o][q] >= sc[q][q]) aheadT++;
            }
            for (int k = 0; k < 3; k++) {
                if (ahead < ks[k]) i2t[k] += 100.0 / n;
                if (aheadT < ks[k]) t2i[k] += 100.0 / n;
            }
        }
        return new RecallAtK(i2t[0], i2t[1], i2t[2], t2i[0], t2i[1], t2i[2]).asMap();
    }

    private static CaptionBatch row(CaptionBatch b, int r) {
        return new CaptionBatch(b.images().narrow(0, r, 1), b.ids().narrow(0, r, 1), b.types().narrow(0, r, 1), b.mask().narrow(0, r, 1),
                b.nwords().narrow(0, r, 1), new int[1]);
    }

    private static List<CaptionBatch> rows(List<CaptionBatch> batches) {
        List<CaptionBatch> out = new ArrayList<>();
        for (CaptionBatch b : batches) for (int r = 0; r < b.images().size(0); r++) out.add(row(b, r));
        return out;
    }

    private static void assertClose(Map<String, Double> want, Map<String, Double> got) {
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) assertEquals(want.get(k), got.get(k), 1e-9, k + ": want " + want + ", got " + got);
    }

    /** Stage 2: the first 10 of 12 images (the limit cuts a batch), ranked by each pair's matchmap similarity computed alone. */
    @Test
    void twoStreamRanksTheFirstImagesByTheirMatchmap() {
        TwoStreamModel m = new TwoStreamModel(TinyVgBert.config(), 2, new Generator(21));
        m.eval();
        List<CaptionBatch> data = TinyVgBert.captions(3, 4, 22);
        try (var g = GradMode.noGrad()) {
            ValidationRecall vr = ValidationRecall.twoStream(m, 10);
            data.forEach(vr::add);
            List<CaptionBatch> one = rows(data);
            Map<String, Double> want = byHand(10, (i, c) -> VgBertOps.matchmapSimilarity(m.imageMap(one.get(i).images()),
                    m.words(one.get(c).ids(), one.get(c).types(), one.get(c).mask()), one.get(c).nwords()).item());
            Map<String, Double> got = vr.summary();
            assertClose(want, got);
            assertTrue(got.get("rsum") > 0 && got.get("rsum") < 600, got.toString());   // neither degenerate way
        }
    }

    /** The transfer: every image of the set (the limit is above it), ranked by the cosine of the pooled vectors. */
    @Test
    void transferRanksByCosine() {
        TransferModel m = new TransferModel(TinyVgBert.config(), new Generator(31));
        m.eval();
        List<CaptionBatch> data = TinyVgBert.captions(3, 5, 32);
        try (var g = GradMode.noGrad()) {
            ValidationRecall vr = ValidationRecall.transfer(m, 1000);
            data.forEach(vr::add);
            List<CaptionBatch> one = rows(data);
            Map<String, Double> want = byHand(15, (i, c) -> {
                Tensor a = m.embedImages(one.get(i).images()), b = m.embedTexts(one.get(c).ids(), one.get(c).types(), one.get(c).mask());
                return a.mul(b).sum().item() / Math.sqrt(a.mul(a).sum().item() * b.mul(b).sum().item());
            });
            assertClose(want, vr.summary());
        }
    }

    @Test
    void selectionNamesItsMetrics() {
        assertTrue(ValidationRecall.selection("rsum").higherIsBetter());
        assertTrue(!ValidationRecall.selection("loss_sum").higherIsBetter());
        var e = assertThrows(IllegalArgumentException.class, () -> ValidationRecall.selection("r@1"));
        assertTrue(e.getMessage().contains("i2t_r1") && e.getMessage().contains("rsum"), e.getMessage());
    }

    /** In training: every epoch's val record holds the recalls, and best.safetensors follows rsum when asked to. */
    @Test
    void trainerLogsRecallsAndSelectsByThem(@TempDir Path dir) throws Exception {
        TransferModel m = new TransferModel(TinyVgBert.config(), new Generator(41)).validationRecall(8, ValidationRecall.selection("rsum"));
        var train = new ShuffledList<>(TinyVgBert.captions(2, 4, 42), new Generator(43), false);
        var val = new ShuffledList<>(TinyVgBert.captions(3, 4, 44), new Generator(45), false);
        TrainerConfig tc = TrainerConfig.of(4, OptimizerFactory.adam(new Adam.Options(3e-2, 0.95, 0.999, 1e-8, 5e-7)),
                Schedule.perEpoch(new StepLr(15, 0.5, true)), dir).withProgress(null, "test");
        Trainer.Result r = new Trainer<>(m, train, val, tc).fit();
        List<JsonNode> epochs = new MetricsLog(dir.resolve(Trainer.METRICS)).read().stream().filter(j -> j.path("kind").asText().equals("epoch")).toList();
        assertEquals(4, epochs.size());
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        for (JsonNode e : epochs) {
            for (String k : RecallAtK.NAMES) assertTrue(e.path("val").path(k).isNumber(), k + " missing in " + e);
            double rsum = e.path("val").path("rsum").asDouble();
            if (rsum > best) { best = rsum; bestEpoch = e.path("epoch").asInt(); }
            assertTrue(!e.path("train").has("rsum"), "training has no recall: " + e);
        }
        assertEquals(best, r.bestMetric(), 1e-9);
        assertEquals(bestEpoch, r.bestEpoch());
    }
}
