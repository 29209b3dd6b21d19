package dev.groundwork.models.data;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.text.VgBertText;

import java.util.List;

/** Stacks per-item records into the batch records the trainers consume (shapes in their javadoc). */
public final class Collate {
    private Collate() {}

    public static CaptionBatch captions(List<CaptionItem> items) {
        int b = items.size(), t = items.getFirst().caption().ids().length;
        long[] ids = new long[b * t], types = new long[b * t], mask = new long[b * t], nwords = new long[b];
        int[] indices = new int[b];
        for (int i = 0; i < b; i++) {
            VgBertText.Caption c = items.get(i).caption();
            if (c.ids().length != t) throw new IllegalArgumentException("caption lengths differ: " + t + " vs " + c.ids().length);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = c.ids()[j];
                types[i * t + j] = c.types()[j];
                mask[i * t + j] = c.mask()[j];
            }
            nwords[i] = c.nwords();
            indices[i] = items.get(i).index();
        }
        Tensor images = stack(items.stream().map(CaptionItem::image).toList());
        return new CaptionBatch(images, Tensor.ofLongs(ids, b, t), Tensor.ofLongs(types, b, t),
                Tensor.ofLongs(mask, b, t), Tensor.ofLongs(nwords, b), indices);
    }

    public static RelationBatch relations(List<RelationItem> items, int objects, int slots) {
        int b = items.size(), ol = objects * slots, oo = objects * objects;
        long[] ids = new long[b * ol], types = new long[b * ol], mask = new long[b * ol];
        float[] objectMask = new float[b * objects];
        long[] classes = new long[b * objects], relations = new long[b * oo];
        int[] indices = new int[b];
        for (int i = 0; i < b; i++) {
            RelationItem it = items.get(i);
            if (it.ids().length != ol || it.classes().length != objects || it.relations().length != oo)
                throw new IllegalArgumentException("item " + it.index() + " is not padded to O=" + objects + ", L=" + slots);
            for (int j = 0; j < ol; j++) {
                ids[i * ol + j] = it.ids()[j];
                types[i * ol + j] = it.types()[j];
                mask[i * ol + j] = it.mask()[j];
            }
            for (int j = 0; j < objects; j++) {
                objectMask[i * objects + j] = j < it.objects() ? 1f : 0f;
                classes[i * objects + j] = it.classes()[j];
            }
            for (int j = 0; j < oo; j++) relations[i * oo + j] = it.relations()[j];
            indices[i] = it.index();
        }
        Tensor images = stack(items.stream().map(RelationItem::image).toList());
        return new RelationBatch(images, Tensor.ofLongs(ids, b, objects, slots), Tensor.ofLongs(types, b, objects, slots),
                Tensor.ofLongs(mask, b, objects, slots), Tensor.of(objectMask, b, objects),
                Tensor.ofLongs(classes, b, objects), Tensor.ofLongs(relations, b, objects, objects), indices);
    }

    public static RelationBatch relations(List<RelationItem> items) {
        return relations(items, VisualGenome.OBJECTS, VisualGenome.PHRASE_SLOTS);
    }

    public static ImageBatch images(List<LabeledImage> items) {
        int b = items.size();
        long[] labels = new long[b];
        int[] indices = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = items.get(i).label();
            indices[i] = items.get(i).index();
        }
        return new ImageBatch(stack(items.stream().map(LabeledImage::image).toList()), Tensor.ofLongs(labels, b), indices);
    }

    /** [B,3,H,W]; every image must have the size of the first (the pipelines crop to a fixed size). */
    public static Tensor stack(List<RgbImage> images) {
        RgbImage first = images.getFirst();
        int n = first.data().length;
        float[] out = new float[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            RgbImage im = images.get(i);
            if (im.height() != first.height() || im.width() != first.width())
                throw new IllegalArgumentException("image sizes differ in a batch: " + first.height() + "x" + first.width()
                        + " vs " + im.height() + "x" + im.width());
            System.arraycopy(im.data(), 0, out, i * n, n);
        }
        return Tensor.of(out, images.size(), 3, first.height(), first.width());
    }
}
