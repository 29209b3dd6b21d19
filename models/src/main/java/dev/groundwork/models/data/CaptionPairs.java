package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.VgBertText;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Stage 2 and transfer training pairs from COCO as downloaded ({@link CaptionFiles}): each visit draws
 * one of the image's captions uniformly from the item's rng (every caption the file has, as the
 * original draws from every line of its caption file, §5.5), or caption 0 when fixed (validation,
 * §9.19). A record with a problem in the annotation file fails {@link #check}, so a run reports every
 * one before its first step.
 */
public final class CaptionPairs implements Dataset<CaptionItem> {
    /** The Karpathy splits a training file means by default (train + restval, the usual 113k) and a validation file (val). */
    public static final Set<String> KARPATHY_TRAIN = Set.of("train", "restval"), KARPATHY_VAL = Set.of("val");

    private final Path file;
    private final List<CaptionFiles.Image> images;
    private final BertTokenizer tokenizer;
    private final ImagePipeline pipeline;
    private final boolean fixedCaption;
    private final int slots;

    public CaptionPairs(Path file, List<CaptionFiles.Image> images, BertTokenizer tokenizer, ImagePipeline pipeline, boolean fixedCaption, int slots) {
        this.file = file;
        this.images = List.copyOf(images);
        this.tokenizer = tokenizer;
        this.pipeline = pipeline;
        this.fixedCaption = fixedCaption;
        this.slots = slots;
    }

    /**
     * Whatever caption file {@code json} is: the original index ({@link CocoCaptions}), COCO's
     * {@code captions_*.json}, or Karpathy's split file (the {@code train} flag chooses train + restval
     * or val). {@code root} is the COCO folder ({@link CaptionFiles#defaultRoot} when null).
     */
    public static Dataset<CaptionItem> open(Path json, Path root, boolean train, BertTokenizer tokenizer, ImagePipeline pipeline,
                                            boolean fixedCaption, int slots) throws DataException {
        Path r = root != null ? root : CaptionFiles.defaultRoot(json);
        return switch (CaptionFiles.kind(json)) {
            case ORIGINAL_INDEX -> new CocoCaptions(json, tokenizer, pipeline, fixedCaption, slots);
            case COCO_ANNOTATIONS -> new CaptionPairs(json, CaptionFiles.coco(json, r), tokenizer, pipeline, fixedCaption, slots);
            case KARPATHY -> new CaptionPairs(json, CaptionFiles.karpathy(json, r, train ? KARPATHY_TRAIN : KARPATHY_VAL),
                    tokenizer, pipeline, fixedCaption, slots);
        };
    }

    @Override
    public int size() { return images.size(); }

    /** The image file of record {@code index} (null when its record names none). */
    public Path imagePath(int index) { return images.get(index).image(); }

    public List<String> captions(int index) { return images.get(index).captions(); }

    /** The record's problem in the annotation file, else the image's header. */
    @Override
    public void check(int index) throws DataException {
        CaptionFiles.Image im = images.get(index);
        if (im.problem() != null) throw new DataException(index, file, "record " + im.record() + ": " + im.problem());
        ImageIo.checkHeader(im.image(), index);
    }

    @Override
    public CaptionItem get(int index, Generator rng) throws DataException {
        CaptionFiles.Image im = images.get(index);
        if (im.problem() != null) throw new DataException(index, file, "record " + im.record() + ": " + im.problem());
        List<String> caps = im.captions();
        String caption = fixedCaption ? caps.getFirst() : caps.get(rng.nextInt(caps.size()));
        RgbImage img = pipeline.apply(ImageIo.read(im.image(), index), rng);
        return new CaptionItem(index, img, VgBertText.encodeCaption(tokenizer, caption, slots));
    }
}
