package dev.groundwork.models.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * COCO captions as users download them, read without a conversion step:
 * <ul>
 *   <li>{@code captions_{train,val}2017.json} (cocodataset.org): {@code images[].{id, file_name}} and
 *       {@code annotations[].{image_id, caption}}; the images are in {@code ROOT/train2017/} etc., the
 *       folder named in the file's name;</li>
 *   <li>Karpathy's {@code dataset_coco.json}: {@code images[].{filepath, filename, split, cocoid,
 *       sentences[].raw}}; an image is {@code ROOT/filepath/filename} (COCO 2014 names), or, for users with
 *       the 2017 release only, {@code ROOT/train2017/} or {@code ROOT/val2017/} under its cocoid as
 *       2017 names it ({@code %012d.jpg}: the 2017 images are the 2014 ones renamed).</li>
 * </ul>
 * ROOT is the COCO folder, by default the folder holding the annotation file, or the one above it when
 * that is called {@code annotations} (COCO's own layout). The files are streamed, one image at a time,
 * so a 140 MB split file costs its entries, not a JSON tree. A record with a problem (a missing field,
 * no caption) is kept with its problem, so that {@link Dataset#check} reports every one at once;
 * problems not tied to an image (an annotation naming an unknown image) are all listed in one
 * exception. The original repo's {@code COCO_*2017.json} index ({@link CocoCaptions}) is the third kind.
 */
public final class CaptionFiles {
    /** The kinds of caption file, told by their top-level fields. */
    public enum Kind { ORIGINAL_INDEX, COCO_ANNOTATIONS, KARPATHY }

    /** One image with all its captions in file order, or the problem that makes it unusable. */
    public record Image(int record, Path image, List<String> captions, String problem) {}

    private static final Pattern SPLIT_FOLDER = Pattern.compile("captions_([A-Za-z]+\\d*)\\.json");

    private CaptionFiles() {}

    /** The kind of {@code json}: the original index ({@code image_base_path}), COCO's annotations, or Karpathy's split file. */
    public static Kind kind(Path json) throws DataException {
        boolean base = false, images = false, annotations = false, dataset = false;
        try (JsonParser p = open(json)) {
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                switch (p.currentName()) {
                    case "image_base_path" -> base = true;
                    case "images" -> images = true;
                    case "annotations" -> annotations = true;
                    case "dataset" -> dataset = true;
                    default -> { }
                }
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            throw malformed(json, e);
        }
        if (base) return Kind.ORIGINAL_INDEX;
        if (images && annotations) return Kind.COCO_ANNOTATIONS;
        if (images || dataset) return Kind.KARPATHY;
        throw new DataException(-1, json, "not a caption file this project reads: expected the original index (image_base_path, data), "
                + "COCO's captions_*.json (images, annotations) or Karpathy's dataset_coco.json (images with sentences)");
    }

    /** The COCO folder for {@code json} when the user names none: its folder, or the one above an {@code annotations} folder. */
    public static Path defaultRoot(Path json) {
        Path dir = json.toAbsolutePath().getParent();
        return dir.getFileName() != null && dir.getFileName().toString().equals("annotations") && dir.getParent() != null ? dir.getParent() : dir;
    }

    /** COCO's {@code captions_*.json}; images in {@code root/<split>/} where the file's name says the split, else in {@code root}. */
    public static List<Image> coco(Path json, Path root) throws DataException {
        Matcher m = SPLIT_FOLDER.matcher(json.getFileName().toString());
        Path folder = m.matches() && Files.isDirectory(root.resolve(m.group(1))) ? root.resolve(m.group(1)) : root;
        Map<Long, Pending> byId = new LinkedHashMap<>();
        List<String> stray = new ArrayList<>();
        List<JsonNode> early = new ArrayList<>();
        int[] count = new int[2];
        try (JsonParser p = open(json)) {
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("images")) each(p, json, field, node -> {
                    int i = count[0]++;
                    JsonNode id = node.get("id"), file = node.get("file_name");
                    List<String> problems = new ArrayList<>();
                    if (file == null || !file.isTextual()) problems.add("images[" + i + "]: 'file_name' missing or not a string");
                    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
                        stray.add("images[" + i + "]: 'id' missing or not an integer");
                        return;
                    }
                    Pending prev = byId.putIfAbsent(id.asLong(), new Pending(i, file != null && file.isTextual() ? file.asText() : null,
                            new ArrayList<>(), problems));
                    if (prev != null) stray.add("images[" + i + "]: id " + id.asLong() + " repeats images[" + prev.record() + "]");
                });
                else if (field.equals("annotations")) {
                    // COCO's files list the images first; annotations met before them wait (as trees) until they are read.
                    if (!byId.isEmpty()) each(p, json, field, a -> annotate(a, count[1]++, byId, stray));
                    else each(p, json, field, early::add);
                } else p.skipChildren();
            }
        } catch (IOException e) {
            throw malformed(json, e);
        }
        for (JsonNode a : early) annotate(a, count[1]++, byId, stray);
        if (!stray.isEmpty()) throw listed(json, stray);
        List<Image> out = new ArrayList<>();
        for (Pending q : byId.values()) {
            if (q.captions().isEmpty()) q.problems().add("no caption in 'annotations'");
            out.add(new Image(q.record(), q.file() == null ? null : folder.resolve(q.file()), List.copyOf(q.captions()),
                    q.problems().isEmpty() ? null : String.join("; ", q.problems())));
        }
        return out;
    }

    /** An image of a COCO annotations file while its captions are gathered. */
    private record Pending(int record, String file, List<String> captions, List<String> problems) {}

    private static void annotate(JsonNode a, int i, Map<Long, Pending> byId, List<String> stray) {
        JsonNode id = a.get("image_id"), cap = a.get("caption");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
            stray.add("annotations[" + i + "]: 'image_id' missing or not an integer");
            return;
        }
        Pending img = byId.get(id.asLong());
        if (img == null) stray.add("annotations[" + i + "]: image_id " + id.asLong() + " is not in 'images'");
        else if (cap == null || !cap.isTextual()) img.problems().add("annotations[" + i + "]: 'caption' missing or not a string");
        else if (!cap.asText().isBlank()) img.captions().add(cap.asText().strip());
    }

    /** Karpathy's split file: the images of {@code splits} (train, val, test, restval), in file order. */
    public static List<Image> karpathy(Path json, Path root, Set<String> splits) throws DataException {
        List<Image> out = new ArrayList<>();
        eachKarpathyImage(json, (im, i) -> {
            JsonNode split = im.get("split");
            if (split == null || !split.isTextual()) out.add(new Image(i, null, List.of(), "'split' missing or not a string"));
            else if (splits.contains(split.asText())) out.add(karpathyImage(i, im, root));
        });
        return out;
    }

    /**
     * The COCO ids ({@code cocoid}) of the Karpathy file's images in {@code splits}, to keep them out of other
     * training data (Visual Genome shares images with COCO); an image of those splits without an integer
     * cocoid is an error naming its index, since it could not be kept out.
     */
    public static Set<Long> karpathyCocoIds(Path json, Set<String> splits) throws DataException {
        Set<Long> ids = new java.util.HashSet<>();
        List<String> problems = new ArrayList<>();
        eachKarpathyImage(json, (im, i) -> {
            JsonNode split = im.get("split"), cocoid = im.get("cocoid");
            if (split == null || !split.isTextual()) problems.add("images[" + i + "]: 'split' missing or not a string");
            else if (!splits.contains(split.asText())) return;
            else if (cocoid == null || !cocoid.isIntegralNumber() || !cocoid.canConvertToLong()) problems.add("images[" + i + "]: 'cocoid' missing or not an integer");
            else ids.add(cocoid.asLong());
        });
        if (!problems.isEmpty()) throw new DataException(-1, json, problems.size() + " bad record(s):" + BadRecords.list(problems));
        return ids;
    }

    /** Streams the {@code images} array of a Karpathy split file, each element with its index. */
    private static void eachKarpathyImage(Path json, java.util.function.ObjIntConsumer<JsonNode> f) throws DataException {
        boolean sawImages = false;
        int[] count = new int[1];
        try (JsonParser p = open(json)) {
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("images")) {
                    p.skipChildren();
                    continue;
                }
                sawImages = true;
                each(p, json, field, im -> f.accept(im, count[0]++));
            }
        } catch (IOException e) {
            throw malformed(json, e);
        }
        if (!sawImages) throw new DataException(-1, json, "missing array field 'images'");
    }

    private static Image karpathyImage(int i, JsonNode im, Path root) {
        List<String> problems = new ArrayList<>(), caps = new ArrayList<>();
        JsonNode fp = im.get("filepath"), name = im.get("filename"), cocoid = im.get("cocoid"), sentences = im.get("sentences");
        if (name == null || !name.isTextual()) problems.add("'filename' missing or not a string");
        if (sentences == null || !sentences.isArray()) problems.add("'sentences' missing or not a list");
        else for (int s = 0; s < sentences.size(); s++) {
            JsonNode raw = sentences.get(s).get("raw");
            if (raw == null || !raw.isTextual()) problems.add("sentences[" + s + "]: 'raw' missing or not a string");
            else if (!raw.asText().isBlank()) caps.add(raw.asText().strip());
        }
        if (problems.isEmpty() && caps.isEmpty()) problems.add("no caption in 'sentences'");
        Path image = null;
        if (name != null && name.isTextual()) {
            image = (fp != null && fp.isTextual() ? root.resolve(fp.asText()) : root).resolve(name.asText());
            if (!Files.exists(image) && cocoid != null && cocoid.canConvertToLong())
                for (String release : new String[]{"train2017", "val2017"}) {
                    Path renamed = root.resolve(release).resolve(String.format(Locale.ROOT, "%012d.jpg", cocoid.asLong()));
                    if (Files.exists(renamed)) {
                        image = renamed;
                        break;
                    }
                }
        }
        return new Image(i, image, List.copyOf(caps), problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** Streams the array at the parser's position element by element; an element is a small tree. */
    private static void each(JsonParser p, Path json, String field, IoConsumer<JsonNode> f) throws IOException, DataException {
        if (p.currentToken() != JsonToken.START_ARRAY) throw new DataException(-1, json, "field '" + field + "' is not a list");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode n = JsonFiles.MAPPER.readTree(p);
            if (n == null || !n.isObject()) throw new DataException(-1, json, "an element of '" + field + "' is not an object");
            f.accept(n);
        }
    }

    private interface IoConsumer<T> {
        void accept(T t) throws IOException, DataException;
    }

    /** A parser positioned inside the top-level object; anything else is an error naming the file. */
    private static JsonParser open(Path json) throws DataException {
        if (!Files.isRegularFile(json)) throw new DataException(-1, json, "no such file");
        try {
            JsonParser p = JsonFiles.MAPPER.getFactory().createParser(json.toFile());
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.close();
                throw new DataException(-1, json, "not a JSON object at the top level");
            }
            return p;
        } catch (IOException e) {
            throw malformed(json, e);
        }
    }

    private static DataException malformed(Path json, IOException e) {
        return new DataException(-1, json, "malformed JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }

    private static DataException listed(Path json, List<String> problems) {
        return new DataException(-1, json, problems.size() + " problem(s) not tied to one image:" + BadRecords.list(problems));
    }
}
