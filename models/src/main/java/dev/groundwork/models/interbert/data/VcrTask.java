package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.data.Dataset;
import dev.groundwork.models.text.BertTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * VCR samples for Q→A and QA→R (spec 3.4, 4.3): per question, four texts [CLS] A [SEP] B [SEP] (types
 * 0 / 1) with A the question (QA→R: question, [SEP], the right answer) and B each candidate, and one
 * image of R = 100 rows merging the detected and ground-truth box sets.
 * <ul>
 *   <li>Object references: every {@code person} object gets a random name of the name table, other
 *       objects their class name. The names are drawn once per question from a generator of
 *       (namesSeed, question index), not per epoch: the original draws them once and caches the
 *       tokenised set (spec 8.17).</li>
 *   <li>Truncation is longest-first to L − 3, and, as coded, A stays truncated for the later
 *       candidates once an earlier one has cut it.</li>
 *   <li>Regions: the two global rows are averaged weighted by their box counts (globals included);
 *       then min(R − 1, n_gt) ground-truth boxes and min(R − kept_gt, n_det + 1) detected rows, in the
 *       order [detected (merged global first) ; ground truth], zero-padded.</li>
 * </ul>
 * The per-token object indices (the original's co_attention_mask) are not produced: InterBERT ignores them.
 */
public final class VcrTask implements Dataset<PairItem> {
    public enum Kind { Q_A, QA_R }

    public static final int REGIONS = 100, Q_A_LENGTH = 60, QA_R_LENGTH = 80;

    private final VcrAnnotations annotations;
    private final FeatureLmdb detected, groundTruth;
    private final List<String> nameTable;
    private final Path images;
    private final BertTokenizer tokenizer;
    private final Kind kind;
    private final int textLength, regions;
    private final long namesSeed;

    public VcrTask(VcrAnnotations annotations, FeatureLmdb detected, FeatureLmdb groundTruth, List<String> nameTable,
                   Path vcr1images, BertTokenizer tokenizer, Kind kind, int textLength, int regions, long namesSeed) {
        this.annotations = annotations;
        this.detected = detected;
        this.groundTruth = groundTruth;
        this.nameTable = List.copyOf(nameTable);
        this.images = vcr1images;
        this.tokenizer = tokenizer;
        this.kind = kind;
        this.textLength = textLength;
        this.regions = regions;
        this.namesSeed = namesSeed;
    }

    @Override
    public int size() { return annotations.questions().size(); }

    /** Both feature stores hold the image, the metadata file exists and every object reference is a listed object. */
    @Override
    public void check(int index) throws DataException {
        VcrAnnotations.Question q = annotations.questions().get(index);
        detected.requireId(q.featureKey(), index, annotations.file());
        groundTruth.requireId(q.featureKey(), index, annotations.file());
        int objects = VcrAnnotations.names(images.resolve(q.metadataFn())).size();
        List<List<VcrAnnotations.Word>> texts = new ArrayList<>(q.answers());
        texts.addAll(q.rationales());
        texts.add(q.question());
        for (List<VcrAnnotations.Word> t : texts)
            for (VcrAnnotations.Word w : t)
                if (w.objects() != null) for (int o : w.objects())
                    if (o >= objects) throw new DataException(index, annotations.file(), "line " + q.line() + " refers to object " + o + " of " + objects);
    }

    @Override
    public PairItem get(int index, Generator rng) throws DataException {
        check(index);
        VcrAnnotations.Question q = annotations.questions().get(index);
        List<String> names = names(VcrAnnotations.names(images.resolve(q.metadataFn())), index);
        List<VcrAnnotations.Word> a = new ArrayList<>(q.question());
        List<List<VcrAnnotations.Word>> candidates = q.answers();
        if (kind == Kind.QA_R) {
            a.add(new VcrAnnotations.Word("[SEP]", null));
            a.addAll(q.answers().get(q.answerLabel()));
            candidates = q.rationales();
        }
        List<Integer> ta = new ArrayList<>(pieces(a, names));
        List<TextSlots> texts = new ArrayList<>();
        int cls = tokenizer.vocab().clsId(), sep = tokenizer.vocab().sepId();
        for (List<VcrAnnotations.Word> b : candidates) {
            List<Integer> tb = new ArrayList<>(pieces(b, names));
            while (ta.size() + tb.size() > textLength - 3) {
                if (ta.size() > tb.size()) ta.removeLast();
                else tb.removeLast();
            }
            int[] ids = new int[ta.size() + tb.size() + 3], seg = new int[ids.length];
            int k = 0;
            ids[k++] = cls;
            for (int t : ta) ids[k++] = t;
            ids[k++] = sep;
            for (int t : tb) { seg[k] = 1; ids[k++] = t; }
            seg[k] = 1;
            ids[k] = sep;
            texts.add(TextSlots.of(ids, seg, textLength, tokenizer.vocab().padId()));
        }
        RegionSet.Padded image = merge(detected.image(q.featureKey()).regions(), groundTruth.image(q.featureKey()).regions());
        return new PairItem(List.of(image, image, image, image), texts, new int[]{kind == Kind.Q_A ? q.answerLabel() : q.rationaleLabel()}, q.imgId());
    }

    /** One name per object: a random table name for each person, the class name otherwise. */
    private List<String> names(List<String> classes, int index) {
        Generator g = DataLoader.itemGenerator(namesSeed, 0, index);
        List<String> out = new ArrayList<>(classes.size());
        for (String c : classes) out.add(c.equals("person") ? nameTable.get(g.nextInt(nameTable.size())) : c);
        return out;
    }

    /** Each word tokenised on its own; an object reference becomes the tokens of each referred object's name. */
    private List<Integer> pieces(List<VcrAnnotations.Word> words, List<String> names) {
        List<Integer> out = new ArrayList<>();
        for (VcrAnnotations.Word w : words) {
            if (w.objects() == null) for (int id : tokenizer.tokenIds(w.text())) out.add(id);
            else for (int o : w.objects()) for (int id : tokenizer.tokenIds(names.get(o))) out.add(id);
        }
        return out;
    }

    /** The detected/ground-truth merge of spec 3.4, zero-padded to R rows. */
    RegionSet.Padded merge(RegionSet det, RegionSet gt) {
        int f = det.featureSize(), d = RegionSet.LOCATION_DIMS, nDet = det.count(), nGt = gt.count();
        int gtKeep = Math.min(regions - 1, nGt - 1), detKeep = Math.min(regions - gtKeep, nDet);
        float[] feat = new float[regions * f], loc = new float[regions * d];
        System.arraycopy(det.features(), 0, feat, 0, detKeep * f);
        System.arraycopy(det.locations(), 0, loc, 0, detKeep * d);
        for (int j = 0; j < f; j++)
            feat[j] = (float) (((double) det.features()[j] * nDet + (double) gt.features()[j] * nGt) / (nDet + nGt));
        System.arraycopy(gt.features(), f, feat, detKeep * f, gtKeep * f);
        System.arraycopy(gt.locations(), d, loc, detKeep * d, gtKeep * d);
        int[] mask = new int[regions];
        Arrays.fill(mask, 0, detKeep + gtKeep, 1);
        return new RegionSet.Padded(feat, loc, mask);
    }
}
