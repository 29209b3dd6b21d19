package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertInputs;
import dev.groundwork.models.interbert.PretrainingLabels;

import java.util.List;

/**
 * Stacks samples into the model's batch tensors (CPU; ids and masks int64, features float32): the
 * collate functions of a {@link dev.groundwork.models.data.DataLoader} over these datasets.
 */
public final class InterBertBatches {
    private InterBertBatches() {}

    /** A pretraining batch (spec 2.1's table) and the image ids. */
    public record Pretraining(InterBertInputs inputs, PretrainingLabels labels, long[] imageIds) {}

    /** k pairs per sample flattened to [k·B, ...] in sample order (spec 4.2, 4.3), and the targets. */
    public record Pairs(InterBertInputs inputs, Tensor targets, List<String> ids) {}

    public static Pretraining pretraining(List<PretrainingItem> items) {
        int b = items.size(), l = items.getFirst().length(), r = items.getFirst().regions(), m = r - 1;
        int f = items.getFirst().imageFeat().length / r, c = items.getFirst().imageTarget().length / m;
        long[] ids = new long[b * l], mask = new long[b * l], seg = new long[b * l], lm = new long[b * l];
        long[] isNext = new long[b], label = new long[b * m], imageMask = new long[b * r], imageIds = new long[b];
        float[] feat = new float[b * r * f], loc = new float[b * r * 5], target = new float[b * m * c];
        for (int i = 0; i < b; i++) {
            PretrainingItem it = items.get(i);
            widen(it.inputIds(), ids, i * l);
            widen(it.inputMask(), mask, i * l);
            widen(it.segmentIds(), seg, i * l);
            widen(it.lmLabels(), lm, i * l);
            widen(it.imageLabel(), label, i * m);
            widen(it.imageMask(), imageMask, i * r);
            isNext[i] = it.isNext();
            imageIds[i] = it.imageId();
            System.arraycopy(it.imageFeat(), 0, feat, i * r * f, r * f);
            System.arraycopy(it.imageLoc(), 0, loc, i * r * 5, r * 5);
            System.arraycopy(it.imageTarget(), 0, target, i * m * c, m * c);
        }
        InterBertInputs in = new InterBertInputs(Tensor.ofLongs(ids, b, l), Tensor.ofLongs(seg, b, l), Tensor.ofLongs(mask, b, l),
                Tensor.of(feat, b, r, f), Tensor.of(loc, b, r, 5), Tensor.ofLongs(imageMask, b, r));
        PretrainingLabels labels = new PretrainingLabels(Tensor.ofLongs(lm, b, l), Tensor.ofLongs(label, b, m),
                Tensor.of(target, b, m, c), Tensor.ofLongs(isNext, b));
        return new Pretraining(in, labels, imageIds);
    }

    public static Pairs pairs(List<PairItem> items) {
        int k = items.getFirst().pairs(), n = items.size() * k;
        RegionSet.Padded im0 = items.getFirst().images().getFirst();
        int r = im0.mask().length, f = im0.features().length / r, l = items.getFirst().texts().getFirst().ids().length;
        int t = items.getFirst().targets().length;
        long[] ids = new long[n * l], mask = new long[n * l], seg = new long[n * l], imageMask = new long[n * r], targets = new long[items.size() * t];
        float[] feat = new float[n * r * f], loc = new float[n * r * 5];
        int p = 0;
        for (int s = 0; s < items.size(); s++) {
            PairItem it = items.get(s);
            for (int j = 0; j < t; j++) targets[s * t + j] = it.targets()[j];
            for (int j = 0; j < k; j++, p++) {
                RegionSet.Padded im = it.images().get(j);
                TextSlots tx = it.texts().get(j);
                widen(tx.ids(), ids, p * l);
                widen(tx.mask(), mask, p * l);
                widen(tx.segments(), seg, p * l);
                widen(im.mask(), imageMask, p * r);
                System.arraycopy(im.features(), 0, feat, p * r * f, r * f);
                System.arraycopy(im.locations(), 0, loc, p * r * 5, r * 5);
            }
        }
        InterBertInputs in = new InterBertInputs(Tensor.ofLongs(ids, n, l), Tensor.ofLongs(seg, n, l), Tensor.ofLongs(mask, n, l),
                Tensor.of(feat, n, r, f), Tensor.of(loc, n, r, 5), Tensor.ofLongs(imageMask, n, r));
        return new Pairs(in, t == 1 ? Tensor.ofLongs(targets, items.size()) : Tensor.ofLongs(targets, n), items.stream().map(PairItem::id).toList());
    }

    private static void widen(int[] src, long[] dst, int at) {
        for (int i = 0; i < src.length; i++) dst[at + i] = src[i];
    }
}
