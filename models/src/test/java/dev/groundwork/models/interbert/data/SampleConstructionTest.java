package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.interbert.RegionIou;
import dev.groundwork.models.text.BertTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Spec 2.1–2.3 (pretraining), 3.3/4.2 (Flickr30K) and 3.4 (VCR) on the original-format fixtures. */
class SampleConstructionTest {
    @Test
    void spanMaskingIsOneContiguousSpanWith801010() {
        Generator g = new Generator(7);
        assertArrayEquals(new int[]{-1, -1, -1}, TextMasking.span(new int[]{5, 6, 7}, 100, 1, g), "n <= 3 is never masked");
        long masked = 0, total = 0, toMask = 0, kept = 0;
        for (int t = 0; t < 4000; t++) {
            int n = 4 + g.nextInt(30);
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) ids[i] = 1000 + i;
            int[] orig = ids.clone(), labels = TextMasking.span(ids, 30522, 103, g);
            int first = -1, last = -1;
            for (int i = 0; i < n; i++) {
                if (labels[i] == -1) { assertEquals(orig[i], ids[i]); continue; }
                assertEquals(orig[i], labels[i], "a label is the original id");
                if (first < 0) first = i;
                assertTrue(last < 0 || last == i - 1, "one contiguous span");
                last = i;
                masked++;
                if (ids[i] == 103) toMask++;
                if (ids[i] == orig[i]) kept++;
            }
            total += n;
        }
        double frac = (double) masked / total;
        assertTrue(frac > 0.28 && frac < 0.39, "about a third of the tokens, got " + frac);
        assertEquals(0.8, (double) toMask / masked, 0.03);
        assertEquals(0.1, (double) kept / masked, 0.03);
    }

    @Test
    void groupMaskingZeroesWholeIouGroupsAndLabelsZeroRows() {
        Generator g = new Generator(3);
        int rows = 12, f = 8, n = 9;
        int anchors = 0, trials = 3000;
        for (int t = 0; t < trials; t++) {
            float[] loc = new float[rows * 5], feat = new float[rows * f];
            for (int i = 0; i < n; i++) {
                float x = (float) g.nextDouble() * 0.6f, y = (float) g.nextDouble() * 0.6f;
                RegionSet.location(x * 100, y * 100, (x + 0.1f + (float) g.nextDouble() * 0.3f) * 100, (y + 0.3f) * 100, 100, 100, loc, i * 5);
                for (int k = 0; k < f; k++) feat[i * f + k] = 1 + (float) g.nextDouble();
            }
            float[] before = feat.clone();
            int[] labels = RegionMasking.group(feat, f, loc, rows, n, 100, 100, g);
            double[] iou = RegionIou.matrix(loc, rows, 5, 100, 100);
            for (int i = 0; i < n; i++) {
                boolean zero = feat[i * f] == 0;
                assertEquals(zero ? 1 : -1, labels[i]);
                if (zero) for (int j = 0; j < n; j++) if (iou[i * rows + j] >= 0.4 && iou[j * rows + i] >= 0.4 && isAnchorOnly(before, feat, f, i, iou, rows, n)) assertEquals(0f, feat[j * f]);
                if (!zero) assertArrayEquals(Arrays.copyOfRange(before, i * f, i * f + f), Arrays.copyOfRange(feat, i * f, i * f + f));
            }
            for (int i = n; i < rows; i++) assertEquals(-1, labels[i]);
            for (int i = 0; i < n; i++) if (feat[i * f] == 0) { anchors++; break; }
        }
        // P(some region of 9 masked) = 1 - 0.9^9 ~ 0.61
        assertEquals(1 - Math.pow(0.9, n), (double) anchors / trials, 0.04);
    }

    /** Whether row i's zeroing can only have come from i itself being an anchor (then its whole group is zero). */
    private static boolean isAnchorOnly(float[] before, float[] after, int f, int i, double[] iou, int rows, int n) {
        for (int a = 0; a < n; a++) if (a != i && iou[a * rows + i] >= 0.4 && after[a * f] == 0) return false;
        return true;
    }

    @Test
    void pretrainingSamplesFollowSpec21() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("concap");
        BertTokenizer tok = InterBertFixtures.tokenizer();
        try (ConcapLmdb db = ConcapLmdb.open(dir.resolve("training_feat_all.lmdb"), 2048, 1601)) {
            ConcapPretraining ds = new ConcapPretraining(db, dir.resolve("caption_train.json"), tok, ConcapPretraining.Options.DEFAULT);
            int negatives = 0, draws = 0;
            for (int i = 0; i < ds.size(); i++) {
                ConcapRecord r = db.record(i);
                ds.check(i);
                for (int e = 0; e < 40; e++) {
                    PretrainingItem it = ds.get(i, DataLoader.itemGenerator(42, e, i));
                    draws++;
                    negatives += it.isNext();
                    assertEquals(36, it.length());
                    assertEquals(37, it.regions());
                    assertEquals(Long.parseLong(r.imageId()), it.imageId());
                    int n = r.numBoxes();
                    float[] feat = it.imageFeat();
                    for (int j = 0; j < 5; j++) assertEquals(j < 2 ? 0f : 1f, it.imageLoc()[j]);
                    for (int row = 0; row < 37; row++) assertEquals(row <= n ? 1 : 0, it.imageMask()[row]);
                    for (int j = 0; j < 2048; j += 97) {
                        double s = 0;
                        for (int row = 1; row <= 36; row++) s += feat[row * 2048 + j];
                        assertEquals(s / n, feat[j], 1e-4 * Math.max(1, Math.abs(s / n)), "global = sum after masking / n");
                    }
                    for (int row = 0; row < 36; row++) {
                        boolean zero = true;
                        for (int j = 0; j < 2048; j++) zero &= feat[(row + 1) * 2048 + j] == 0f;
                        assertEquals(row < n && zero ? 1 : -1, it.imageLabel()[row]);
                        if (row < n && !zero) assertEquals(r.features()[row * 2048 + 5], feat[(row + 1) * 2048 + 5]);
                    }
                    assertEquals(r.clsProb()[7], it.imageTarget()[7]);
                    float[] b = r.boxes();
                    assertEquals(b[0] / r.width(), it.imageLoc()[5], 1e-6);
                    assertEquals((b[3] - b[1]) * (b[2] - b[0]) / (r.width() * r.height()), it.imageLoc()[9], 1e-6);
                    assertEquals(tok.vocab().clsId(), it.inputIds()[0]);
                    int len = Arrays.stream(it.inputMask()).sum();
                    assertEquals(tok.vocab().sepId(), it.inputIds()[len - 1]);
                    assertEquals(-1, it.lmLabels()[0]);
                    assertEquals(-1, it.lmLabels()[len - 1]);
                    if (it.isNext() == 0) {
                        int[] body = tok.tokenIds(r.caption());
                        for (int k = 1; k < len - 1; k++)
                            assertEquals(body[k - 1], it.lmLabels()[k] >= 0 ? it.lmLabels()[k] : it.inputIds()[k]);
                    }
                }
                PretrainingItem a = ds.get(i, DataLoader.itemGenerator(1, 2, i)), c = ds.get(i, DataLoader.itemGenerator(1, 2, i));
                assertArrayEquals(a.inputIds(), c.inputIds(), "a function of (seed, epoch, index)");
                assertArrayEquals(a.imageFeat(), c.imageFeat());
            }
            assertEquals(0.5, (double) negatives / draws, 0.08);
        }
    }

    @Test
    void moreThanMaxRegionsIsABadRecord() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("concap");
        try (ConcapLmdb db = ConcapLmdb.open(dir.resolve("training_feat_all.lmdb"), 2048, 1601)) {
            ConcapPretraining ds = new ConcapPretraining(db, dir.resolve("caption_train.json"), InterBertFixtures.tokenizer(),
                    new ConcapPretraining.Options(36, 30, true, false));
            DataException e = assertThrows(DataException.class, () -> ds.check(1));
            assertTrue(e.getMessage().contains("key '00000001'") && e.getMessage().contains("33 regions, more than the 30"), e.getMessage());
            assertTrue(e.getMessage().contains("training_feat_all.lmdb"), e.getMessage());
            var batch = InterBertBatches.pretraining(List.of(ds.get(0, new Generator(1)), ds.get(3, new Generator(2))));
            assertArrayEquals(new int[]{2, 31, 2048}, batch.inputs().imageFeat().shape());
            assertArrayEquals(new int[]{2, 30, 1601}, batch.labels().imageTarget().shape());
        }
    }

    @Test
    void flickrSamplesAreFourPairsWithAHardNegativeFromThePool() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("flickr30k");
        BertTokenizer tok = InterBertFixtures.tokenizer();
        FlickrSplit train = FlickrSplit.read(dir.resolve("all_data_final_train_2014.jsonline"));
        HardNegatives hard = HardNegatives.read(dir.resolve("hard_negative.pkl"));
        try (FeatureLmdb store = FeatureLmdb.open(dir.resolve("flickr30k_resnet101_faster_rcnn_genome.lmdb"), 2048)) {
            FlickrRetrieval ds = new FlickrRetrieval(train, store, hard, tok, 30, 102);
            assertEquals(30, ds.size());
            for (int c = 0; c < ds.size(); c++) {
                ds.check(c);
                PairItem p = ds.get(c, DataLoader.itemGenerator(0, 0, c));
                assertArrayEquals(new int[]{0, 1, 1, 1}, p.targets());
                assertSame(p.images().get(0), p.images().get(1));
                assertSame(p.images().get(0), p.images().get(3));
                assertSame(p.texts().get(0), p.texts().get(2));
                int image = c / 5;
                assertEquals(String.valueOf(train.images().get(image).id()), p.id());
                ImageFeatures im = store.image(p.id());
                int rows = Math.min(102, im.numBoxes() + 1);
                assertEquals(rows, Arrays.stream(p.images().getFirst().mask()).sum());
                int[] row = hard.row(image);
                long[] allowed = Arrays.stream(row).skip(1).mapToLong(k -> hard.imageIds()[k]).toArray();
                TextSlots c4 = p.texts().get(3);
                boolean fromPool = false;
                for (long id : allowed)
                    for (String s : train.images().get(indexOf(train, id)).sentences())
                        fromPool |= Arrays.equals(FlickrRetrieval.encode(tok, s, 30).ids(), c4.ids());
                assertTrue(fromPool, "caption 4 belongs to an image of columns 1..K-1 of the pool row");
            }
            TextSlots t = FlickrRetrieval.encode(tok, "a " + "very ".repeat(40) + "long caption", 30);
            assertNotEquals(tok.vocab().sepId(), t.ids()[29], "a long caption loses its [SEP] (spec 8.13)");
            assertEquals(30, Arrays.stream(t.mask()).sum());
        }
    }

    private static int indexOf(FlickrSplit s, long id) {
        for (int i = 0; i < s.images().size(); i++) if (s.images().get(i).id() == id) return i;
        throw new AssertionError(id);
    }

    @Test
    void vcrSamplesSubstituteNamesAndMergeBoxSets() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("VCR");
        BertTokenizer tok = InterBertFixtures.tokenizer();
        VcrAnnotations ann = VcrAnnotations.read(dir.resolve("val.jsonl"));
        List<String> names = VcrAnnotations.nameTable(dir.resolve("unisex_names_table.csv"));
        try (FeatureLmdb det = FeatureLmdb.open(dir.resolve("VCR_resnet101_faster_rcnn_genome.lmdb"), 2048);
             FeatureLmdb gt = FeatureLmdb.open(dir.resolve("VCR_gt_resnet101_faster_rcnn_genome.lmdb"), 2048)) {
            for (VcrTask.Kind kind : VcrTask.Kind.values()) {
                int len = kind == VcrTask.Kind.Q_A ? 60 : 80;
                VcrTask ds = new VcrTask(ann, det, gt, names, dir.resolve("vcr1images"), tok, kind, len, 100, 5);
                for (int i = 0; i < ds.size(); i++) {
                    ds.check(i);
                    VcrAnnotations.Question q = ann.questions().get(i);
                    PairItem p = ds.get(i, DataLoader.itemGenerator(0, 0, i)), again = ds.get(i, DataLoader.itemGenerator(0, 9, i));
                    assertArrayEquals(p.texts().get(0).ids(), again.texts().get(0).ids(), "names are fixed per question, not per epoch");
                    assertEquals(kind == VcrTask.Kind.Q_A ? q.answerLabel() : q.rationaleLabel(), p.targets()[0]);
                    assertEquals(q.imgId(), p.id());
                    String text = String.join(" ", tok.vocab().token(p.texts().get(0).ids()[1]));
                    // "what is [0] doing": object 0 is a person, so a table name stands in its place.
                    String third = tok.vocab().token(p.texts().get(0).ids()[3]);
                    assertTrue(names.stream().anyMatch(n -> n.toLowerCase().equals(third)), "person -> a table name, got " + third + " after " + text);
                    assertTrue(Arrays.stream(p.texts().get(0).ids()).anyMatch(id -> id == tok.vocab().idOrUnk("dog")), "other objects by class name");
                    TextSlots t = p.texts().get(0);
                    int real = Arrays.stream(t.mask()).sum(), firstB = -1;
                    for (int k = 0; k < real; k++) if (t.segments()[k] == 1) { firstB = k; break; }
                    assertEquals(tok.vocab().sepId(), t.ids()[firstB - 1]);
                    assertEquals(tok.vocab().sepId(), t.ids()[real - 1]);
                    RegionSet d = det.image(q.featureKey()).regions(), g = gt.image(q.featureKey()).regions();
                    RegionSet.Padded im = p.images().getFirst();
                    int gtKeep = Math.min(99, g.count() - 1), detKeep = Math.min(100 - gtKeep, d.count());
                    assertEquals(detKeep + gtKeep, Arrays.stream(im.mask()).sum());
                    assertEquals((d.features()[3] * d.count() + g.features()[3] * g.count()) / (d.count() + g.count()), im.features()[3], 1e-5);
                    assertEquals(d.features()[2048 + 1], im.features()[2048 + 1]);
                    assertEquals(g.features()[2048 + 2], im.features()[detKeep * 2048 + 2]);
                    assertEquals(g.locations()[5 + 4], im.locations()[detKeep * 5 + 4]);
                }
            }
        }
    }
}
