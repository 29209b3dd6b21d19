package dev.groundwork.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.VgBertText;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * The Karpathy split file {@code dataset_coco.json}: {@code images[].{filepath, filename, split,
     * sentences[].raw}}; image = imageRoot/filepath/filename. {@code split} is one of train, val,
     * test, restval (the common "train" for retrieval training is train + restval: pass both).
     */
    public static RetrievalSet karpathy(Path json, Path imageRoot, String... splits) throws DataException {
        Set<String> wanted = Set.of(splits);
        JsonNode images = JsonFiles.array(JsonFiles.read(json), "images", json);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            JsonNode im = images.get(i);
            if (!wanted.contains(JsonFiles.text(im, "split", i, json))) continue;
            JsonNode fp = im.get("filepath");
            Path dir = fp != null && fp.isTextual() ? imageRoot.resolve(fp.asText()) : imageRoot;
            Path image = dir.resolve(JsonFiles.text(im, "filename", i, json));
            JsonNode sentences = im.get("sentences");
            if (sentences == null || !sentences.isArray()) throw new DataException(i, json, "'sentences' missing or not a list");
            List<String> caps = new ArrayList<>();
            for (JsonNode s : sentences) caps.add(JsonFiles.text(s, "raw", i, json).strip());
            out.add(entry(i, json, image, caps));
        }
        return new RetrievalSet(List.copyOf(out));
    }

    /**
     * A standard COCO {@code captions_*.json}: {@code images[].{id, file_name}} and
     * {@code annotations[].{image_id, caption}}. Entries follow the images list; captions keep
     * the annotation order.
     */
    public static RetrievalSet cocoAnnotations(Path json, Path imageDir) throws DataException {
        JsonNode root = JsonFiles.read(json);
        JsonNode images = JsonFiles.array(root, "images", json), anns = JsonFiles.array(root, "annotations", json);
        Map<Integer, List<String>> byId = new LinkedHashMap<>();
        Map<Integer, Path> files = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            int id = JsonFiles.integer(images.get(i).get("id"), "images[" + i + "].id", i, json);
            files.put(id, imageDir.resolve(JsonFiles.text(images.get(i), "file_name", i, json)));
            byId.put(id, new ArrayList<>());
        }
        for (int a = 0; a < anns.size(); a++) {
            int id = JsonFiles.integer(anns.get(a).get("image_id"), "annotations[" + a + "].image_id", a, json);
            List<String> caps = byId.get(id);
            if (caps == null) throw new DataException(a, json, "annotation refers to unknown image_id " + id);
            caps.add(JsonFiles.text(anns.get(a), "caption", a, json).strip());
        }
        List<Entry> out = new ArrayList<>();
        int i = 0;
        for (var e : byId.entrySet()) out.add(entry(i++, json, files.get(e.getKey()), e.getValue()));
        return new RetrievalSet(List.copyOf(out));
    }

    private static Entry entry(int index, Path json, Path image, List<String> caps) throws DataException {
        if (caps.size() < CAPTIONS) throw new DataException(index, json, image.getFileName() + " has " + caps.size() + " captions, want " + CAPTIONS);
        return new Entry(image, List.copyOf(caps.subList(0, CAPTIONS)));
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
