package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.VgBertText;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An image–caption retrieval set: images, each with exactly {@link #CAPTIONS} captions (the
 * standard 1k/5k COCO protocol; extra captions beyond five are dropped, fewer is an error). R@K is
 * new work (spec §9.26), so this only supplies the data in a fixed order.
 */
public record RetrievalSet(List<Entry> entries) {
    public static final int CAPTIONS = 5;

    public record Entry(Path image, List<String> captions) {}

    /**
     * The Karpathy split file {@code dataset_coco.json} ({@link CaptionFiles#karpathy}: {@code imageRoot/filepath/filename},
     * or the 2017 release's name for the cocoid). {@code split} is one of train, val, test, restval (the
     * common "train" for retrieval training is train + restval: pass both).
     */
    public static RetrievalSet karpathy(Path json, Path imageRoot, String... splits) throws DataException {
        return of(json, CaptionFiles.karpathy(json, imageRoot, Set.of(splits)));
    }

    /**
     * A standard COCO {@code captions_*.json} ({@link CaptionFiles#coco}); images in {@code root/<split>/}
     * (the split the file's name says) or in {@code root} itself. Entries follow the images list; captions
     * keep the annotation order.
     */
    public static RetrievalSet cocoAnnotations(Path json, Path root) throws DataException {
        return of(json, CaptionFiles.coco(json, root));
    }

    /** Every image with five captions or more (the first five kept); all images that are not listed in one exception. */
    private static RetrievalSet of(Path json, List<CaptionFiles.Image> images) throws DataException {
        List<Entry> out = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (CaptionFiles.Image im : images) {
            if (im.problem() != null) bad.add("record " + im.record() + ": " + im.problem());
            else if (im.captions().size() < CAPTIONS)
                bad.add("record " + im.record() + ": " + im.image().getFileName() + " has " + im.captions().size() + " captions, want " + CAPTIONS);
            else out.add(new Entry(im.image(), List.copyOf(im.captions().subList(0, CAPTIONS))));
        }
        if (!bad.isEmpty()) throw new DataException(-1, json, bad.size() + " of " + images.size() + " images cannot be evaluated:" + BadRecords.list(bad));
        return new RetrievalSet(List.copyOf(out));
    }

    public int size() { return entries.size(); }

    /** The images alone, for embedding; label = entry number. */
    public Dataset<LabeledImage> images(ImagePipeline pipeline) {
        return new Dataset<>() {
            public int size() { return entries.size(); }

            public LabeledImage get(int index, Generator rng) throws DataException {
                return new LabeledImage(index, pipeline.apply(ImageIo.read(entries.get(index).image(), index), rng), index);
            }
        };
    }

    /** Every caption encoded with T slots, in order: caption k of image i is at 5i + k. */
    public List<VgBertText.Caption> encodedCaptions(BertTokenizer tokenizer, int slots) {
        List<VgBertText.Caption> out = new ArrayList<>();
        for (Entry e : entries) for (String c : e.captions()) out.add(VgBertText.encodeCaption(tokenizer, c, slots));
        return out;
    }

    /** Image + one caption per visit (uniform from the rng, or caption 0 when fixed), like {@link CocoCaptions}. */
    public Dataset<CaptionItem> captionPairs(BertTokenizer tokenizer, ImagePipeline pipeline, boolean fixedCaption, int slots) {
        return new Dataset<>() {
            public int size() { return entries.size(); }

            public CaptionItem get(int index, Generator rng) throws DataException {
                Entry e = entries.get(index);
                String c = fixedCaption ? e.captions().getFirst() : e.captions().get(rng.nextInt(e.captions().size()));
                RgbImage img = pipeline.apply(ImageIo.read(e.image(), index), rng);
                return new CaptionItem(index, img, VgBertText.encodeCaption(tokenizer, c, slots));
            }
        };
    }
}
