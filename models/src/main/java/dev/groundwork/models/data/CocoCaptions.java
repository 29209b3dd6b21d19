package dev.groundwork.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.VgBertText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The stage-2 COCO index (spec §5.5): {@code {"image_base_path", "caption_base_path", "data":
 * [{"image", "caption"}]}} where each caption file holds one caption per line. Relative base paths
 * are resolved against the index file's folder. Each visit draws one caption uniformly from the
 * item's rng (spec §9.19: a seeded per-sample stream instead of the reference's shared numpy state).
 * With {@code fixedCaption}, caption 0 is always used, the optional §9.19 fix that makes validation
 * loss deterministic. Blank lines are ignored (the trailing newline would otherwise make one).
 */
public final class CocoCaptions implements Dataset<CaptionItem> {
    /** T, the caption slot count (spec §2.2). */
    public static final int CAPTION_SLOTS = 32;

    private final Path file, imageBase, captionBase;
    private final JsonNode data;
    private final BertTokenizer tokenizer;
    private final ImagePipeline pipeline;
    private final boolean fixedCaption;
    private final int slots;

    public CocoCaptions(Path file, BertTokenizer tokenizer, ImagePipeline pipeline, boolean fixedCaption) throws DataException {
        this(file, tokenizer, pipeline, fixedCaption, CAPTION_SLOTS);
    }

    public CocoCaptions(Path file, BertTokenizer tokenizer, ImagePipeline pipeline, boolean fixedCaption, int slots) throws DataException {
        JsonNode root = JsonFiles.read(file);
        this.file = file;
        this.imageBase = JsonFiles.base(root, "image_base_path", file);
        this.captionBase = JsonFiles.base(root, "caption_base_path", file);
        this.data = JsonFiles.array(root, "data", file);
        this.tokenizer = tokenizer;
        this.pipeline = pipeline;
        this.fixedCaption = fixedCaption;
        this.slots = slots;
    }

    @Override
    public int size() { return data.size(); }

    /** The image file of record {@code index}. */
    public Path imagePath(int index) throws DataException {
        return imageBase.resolve(JsonFiles.text(data.get(index), "image", index, file));
    }

    /** All non-blank lines of record {@code index}'s caption file. */
    public List<String> captions(int index) throws DataException {
        Path p = captionBase.resolve(JsonFiles.text(data.get(index), "caption", index, file));
        List<String> lines;
        try {
            lines = Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (NoSuchFileException e) {
            throw new DataException(index, p, "caption file not found", e);
        } catch (IOException e) {
            throw new DataException(index, p, "unreadable caption file: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) throw new DataException(index, p, "caption file has no captions");
        return lines;
    }

    /** The fields, the caption file (present and not empty) and the image's header. */
    @Override
    public void check(int index) throws DataException {
        captions(index);
        ImageIo.checkHeader(imagePath(index), index);
    }

    @Override
    public CaptionItem get(int index, Generator rng) throws DataException {
        Path image = imagePath(index);
        List<String> lines = captions(index);
        String caption = fixedCaption ? lines.getFirst() : lines.get(rng.nextInt(lines.size()));
        RgbImage img = pipeline.apply(ImageIo.read(image, index), rng);
        return new CaptionItem(index, img, VgBertText.encodeCaption(tokenizer, caption, slots));
    }
}
