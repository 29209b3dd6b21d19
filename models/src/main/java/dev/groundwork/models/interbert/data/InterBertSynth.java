package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synthetic InterBERT data in the original formats and layout (../shared/data/interbert/README.md):
 * {@code concap/} (tensorpack LMDB files, file form, and caption dictionaries), {@code flickr30k/}
 * (a ViLBERT feature LMDB directory, three jsonline splits of five captions per image,
 * {@code hard_negative.pkl} with pools of the most similar train images) and {@code VCR/} (detected
 * and ground-truth feature stores, train/val jsonl, per-image metadata, the name table). The content
 * comes from {@link SynthWorld}; VCR questions ask what is near an object, with exactly one right answer
 * among four (a class the image holds, the others classes it lacks) and exactly one right rationale.
 */
public final class InterBertSynth {
    /** Sizes; {@link #DEFAULT} has the real feature size and class count, {@link #SMALL} is for demos and tests. */
    public record Options(int images, int featureSize, int classes, int poolWidth, long seed) {
        public static final Options DEFAULT = new Options(200, 2048, 1601, 8, 0);
        public static final Options SMALL = new Options(60, 64, 32, 4, 0);

        public Options {
            if (images < 10) throw new IllegalArgumentException("need at least 10 images (splits of each task need a few)");
            if (poolWidth < 2) throw new IllegalArgumentException("hard-negative pools need at least 2 columns");
        }

        public Options withImages(int n) { return new Options(n, featureSize, classes, poolWidth, seed); }
        public Options withSeed(long s) { return new Options(images, featureSize, classes, poolWidth, s); }
        public Options withSizes(int f, int c) { return new Options(images, f, c, poolWidth, seed); }
    }

    public record Summary(int pretrainTrain, int pretrainVal, int flickrTrain, int flickrVal, int flickrTest, int vcrTrain, int vcrVal) {}

    private static final List<String> NAMES = List.of("Casey", "Riley", "Jessie", "Jackie", "Avery", "Jaime", "Peyton", "Kerry");

    private InterBertSynth() {}

    public static Summary write(Path out, Options o) throws IOException {
        SynthWorld w = new SynthWorld(o.seed(), o.featureSize(), o.classes());
        List<SynthWorld.Image> images = new ArrayList<>();
        for (int i = 0; i < o.images(); i++) images.add(w.image(i));
        int[] pre = concap(out.resolve("concap"), w, images);
        int[] fl = flickr(out.resolve("flickr30k"), w, images, o.poolWidth());
        int[] vcr = vcr(out.resolve("VCR"), w, images);
        return new Summary(pre[0], pre[1], fl[0], fl[1], fl[2], vcr[0], vcr[1]);
    }

    private static long bound(int images, int rows, SynthWorld w) {
        return 64L * 1024 * 1024 + (long) images * rows * (w.featureSize() * 6L + w.classes() * 4L + 64) * 2;
    }

    /** Image ids of 7+ digits whose [:-1] differ, so the ITM key rule sees each image as one "document". */
    private static String conceptId(int i) { return Long.toString(1_000_000L + 10L * i); }

    private static int[] concap(Path dir, SynthWorld w, List<SynthWorld.Image> images) throws IOException {
        Files.createDirectories(dir);
        int val = Math.max(1, images.size() / 10);
        int[] counts = new int[2];
        for (int part = 0; part < 2; part++) {
            String name = part == 0 ? "training_feat_all.lmdb" : "validation_all.lmdb";
            Map<String, Object> captions = new LinkedHashMap<>();
            List<Object> keys = new ArrayList<>();
            try (LmdbWriter lw = new LmdbWriter(dir.resolve(name), false, bound(images.size(), 6, w))) {
                for (SynthWorld.Image im : images) {
                    if ((im.number() < images.size() - val) != (part == 0)) continue;
                    Generator g = DataLoader.itemGenerator(w.seed(), 1, im.number());
                    int n = im.objects().size();
                    String key = String.format("%08d", keys.size()), id = conceptId(im.number()), cap = im.captions().getFirst();
                    List<Object> rec = List.of(new PickleWriter.Array(w.features(im, 0, g), n, w.featureSize()),
                            new PickleWriter.Array(w.clsProb(im, g), n, w.classes()),
                            new PickleWriter.Array(SynthWorld.boxes(im, 0, g), n, 4), n, SynthWorld.HEIGHT, SynthWorld.WIDTH, id, cap);
                    lw.put(key, MsgpackNumpyWriter.dumps(rec));
                    keys.add(key.getBytes(StandardCharsets.US_ASCII));
                    captions.put(id, cap);
                }
                lw.put(ConcapLmdb.KEYS, MsgpackNumpyWriter.dumps(keys));
            }
            counts[part] = keys.size();
            Files.writeString(dir.resolve(part == 0 ? "caption_train.json" : "caption_val.json"), json(captions));
        }
        return counts;
    }

    private static int[] flickr(Path dir, SynthWorld w, List<SynthWorld.Image> images, int poolWidth) throws IOException {
        Files.createDirectories(dir);
        featureStore(dir.resolve("flickr30k_resnet101_faster_rcnn_genome.lmdb"), w, images, i -> Long.toString(flickrId(i)), 3);
        List<SynthWorld.Image> train = new ArrayList<>();
        int[] counts = new int[3];
        String[] splits = {"train", "val_set0", "test_set0"};
        StringBuilder[] lines = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        for (SynthWorld.Image im : images) {
            int s = im.number() % 10 == 8 ? 1 : im.number() % 10 == 9 ? 2 : 0;
            if (s == 0) train.add(im);
            counts[s]++;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("img_path", flickrId(im.number()) + ".jpg");
            line.put("sentences", im.captions());
            lines[s].append(json(line)).append('\n');
        }
        for (int s = 0; s < 3; s++) Files.writeString(dir.resolve("all_data_final_" + splits[s] + "_2014.jsonline"), lines[s]);
        int k = Math.min(poolWidth, train.size());
        long[] ids = new long[train.size()], pool = new long[train.size() * k];
        for (int i = 0; i < train.size(); i++) {
            ids[i] = flickrId(train.get(i).number());
            int[] near = similar(train, i, k);
            for (int j = 0; j < k; j++) pool[i * k + j] = near[j];
        }
        Map<String, Object> hn = new LinkedHashMap<>();
        hn.put("train_image_list", new PickleWriter.Array(ids, ids.length));
        hn.put("train_hard_pool", new PickleWriter.Array(pool, train.size(), k));
        atomic(dir.resolve("hard_negative.pkl"), PickleWriter.dumps(hn, 2));
        return counts;
    }

    private static long flickrId(int i) { return 1_000_000_000L + 7919L * i; }

    /** Row i of the pool: i itself, then the train images sharing the most object (class, colour) pairs. */
    private static int[] similar(List<SynthWorld.Image> train, int i, int k) {
        Integer[] order = new Integer[train.size()];
        double[] score = new double[train.size()];
        for (int j = 0; j < train.size(); j++) {
            order[j] = j;
            for (SynthWorld.Obj a : train.get(i).objects())
                for (SynthWorld.Obj b : train.get(j).objects()) score[j] += (a.cls() == b.cls() ? 1 : 0) + (a.colour() == b.colour() ? 0.5 : 0);
            if (j == i) score[j] = Double.POSITIVE_INFINITY;
        }
        java.util.Arrays.sort(order, (x, y) -> score[y] != score[x] ? Double.compare(score[y], score[x]) : Integer.compare(x, y));
        int[] out = new int[k];
        for (int j = 0; j < k; j++) out[j] = order[j];
        return out;
    }

    private static void featureStore(Path store, SynthWorld w, List<SynthWorld.Image> images, java.util.function.IntFunction<String> key, int clutter) throws IOException {
        List<Object> keys = new ArrayList<>();
        try (LmdbWriter lw = new LmdbWriter(store, true, bound(images.size(), 10 + clutter, w))) {
            for (SynthWorld.Image im : images) {
                Generator g = DataLoader.itemGenerator(w.seed(), 2 + clutter, im.number());
                int n = im.objects().size() + clutter;
                float[] feat = w.features(im, clutter, g), boxes = SynthWorld.boxes(im, clutter, g);
                Map<String, Object> rec = new LinkedHashMap<>();
                String id = key.apply(im.number());
                rec.put("image_id", id.getBytes(StandardCharsets.US_ASCII));
                rec.put("image_h", SynthWorld.HEIGHT);
                rec.put("image_w", SynthWorld.WIDTH);
                rec.put("num_boxes", n);
                rec.put("boxes", Base64.getEncoder().encodeToString(le(boxes)));
                rec.put("features", Base64.getEncoder().encodeToString(le(feat)));
                lw.put(id, PickleWriter.dumps(rec, 3));
                keys.add(id.getBytes(StandardCharsets.US_ASCII));
            }
            lw.put(FeatureLmdb.KEYS, PickleWriter.dumps(keys, 3));
        }
    }

    private static int[] vcr(Path dir, SynthWorld w, List<SynthWorld.Image> images) throws IOException {
        Files.createDirectories(dir.resolve("vcr1images/synth"));
        int[] counts = new int[2];
        StringBuilder[] lines = {new StringBuilder(), new StringBuilder()};
        java.util.function.IntFunction<String> imgId = i -> i % 5 == 4 ? "val-" + i : "train-" + i;
        featureStore(dir.resolve("VCR_resnet101_faster_rcnn_genome.lmdb"), w, images, i -> VcrAnnotations.featureKey(imgId.apply(i)), 4);
        featureStore(dir.resolve("VCR_gt_resnet101_faster_rcnn_genome.lmdb"), w, images, i -> VcrAnnotations.featureKey(imgId.apply(i)), 0);
        for (SynthWorld.Image im : images) {
            Generator g = DataLoader.itemGenerator(w.seed(), 1000, im.number());
            String id = imgId.apply(im.number());
            int split = id.startsWith("val") ? 1 : 0;
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("names", im.objects().stream().map(o -> SynthWorld.CLASSES.get(o.cls())).toList());
            meta.put("width", SynthWorld.WIDTH);
            meta.put("height", SynthWorld.HEIGHT);
            Files.writeString(dir.resolve("vcr1images/synth/" + id + ".json"), json(meta));
            for (int q = 0; q < QUESTIONS_PER_IMAGE; q++) lines[split].append(json(question(im, id, counts[split]++, g))).append('\n');
        }
        Files.writeString(dir.resolve("train.jsonl"), lines[0]);
        Files.writeString(dir.resolve("val.jsonl"), lines[1]);
        StringBuilder csv = new StringBuilder(",name,males,females,total\n");
        for (int i = 0; i < NAMES.size(); i++) csv.append(i).append(',').append(NAMES.get(i)).append(",100,100,200\n");
        Files.writeString(dir.resolve("unisex_names_table.csv"), csv);
        return counts;
    }

    /**
     * VCR questions per image: each asks what is near an object of the image, so the right answer is decided
     * by what the regions show and a model can learn it from the training split. Earlier this asked an
     * object's colour or size, which needs the tag's word bound to one region's colour code among several of
     * the same class: with a few hundred questions the demo's model fitted them without generalising (val
     * Q→A 35 %).
     */
    public static final int QUESTIONS_PER_IMAGE = 2;

    /**
     * "What is near [i]?": the right answer names the class of another object of the image, the three wrong
     * ones classes the image does not hold; the right rationale names the class of a third object (the
     * first when the image has two), the wrong ones three further absent classes. Every candidate has the
     * same words but the class, and the wrong classes are drawn uniformly, so the texts alone give chance
     * (but a rationale naming the class of the question's or the answer's object, which happens when the
     * image has two objects, is right: a text cue, as real VCR has them).
     */
    private static Map<String, Object> question(SynthWorld.Image im, String id, int number, Generator g) {
        List<SynthWorld.Obj> objs = im.objects();
        int i = g.nextInt(objs.size()), j = (i + 1 + g.nextInt(objs.size() - 1)) % objs.size();
        int k = i;
        if (objs.size() > 2) do k = g.nextInt(objs.size()); while (k == i || k == j);
        List<Integer> absent = new ArrayList<>();
        for (int c = 0; c < SynthWorld.CLASSES.size(); c++) {
            final int cls = c;
            if (objs.stream().noneMatch(o -> o.cls() == cls)) absent.add(c);
        }
        for (int a = absent.size() - 1; a > 0; a--) java.util.Collections.swap(absent, a, g.nextInt(a + 1));
        int answer = g.nextInt(4), rationale = g.nextInt(4);
        List<Object> answers = new ArrayList<>(), rationales = new ArrayList<>();
        for (int a = 0, wrong = 0; a < 4; a++) {
            int cls = a == answer ? objs.get(j).cls() : absent.get(wrong++);
            answers.add(List.of("A", SynthWorld.CLASSES.get(cls), "is", "near", List.of(i), "."));
        }
        for (int r = 0, wrong = 3; r < 4; r++) {
            int cls = r == rationale ? objs.get(k).cls() : absent.get(wrong++ % absent.size());
            rationales.add(List.of("Because", "a", SynthWorld.CLASSES.get(cls), "is", "there", "too", "."));
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("question", List.of("What", "is", "near", List.of(i), "?"));
        q.put("answer_choices", answers);
        q.put("rationale_choices", rationales);
        q.put("answer_label", answer);
        q.put("rationale_label", rationale);
        q.put("img_id", id);
        q.put("annot_id", id.substring(0, id.indexOf('-') + 1) + number);
        q.put("metadata_fn", "synth/" + id + ".json");
        q.put("objects", objs.stream().map(x -> SynthWorld.CLASSES.get(x.cls())).toList());
        return q;
    }

    private static byte[] le(float[] f) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(f.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    private static String json(Object o) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
    }

    private static void atomic(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
