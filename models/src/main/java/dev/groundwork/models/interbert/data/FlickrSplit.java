package dev.groundwork.models.interbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.models.data.DataException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Flickr30K split as InterBERT reads it (spec 3.3): a jsonlines file, one image per line with
 * {@code img_path} ({@code <id>.jpg}; the id, the integer file stem, is also the feature-store key) and
 * {@code sentences}. Images keep the file's order; caption {@code c} of the flattened list belongs to
 * image {@link #imageOf(int)}. Blank lines are skipped; everything else malformed names its line.
 */
public record FlickrSplit(Path file, List<Image> images) {
    public record Image(long id, List<String> sentences) {}

    public static FlickrSplit read(Path file) throws DataException {
        return new FlickrSplit(file, JsonLines.read(file, (n, line) -> image(n, line, file)));
    }

    private static Image image(JsonNode n, int line, Path file) throws DataException {
        JsonNode p = n.get("img_path"), s = n.get("sentences");
        if (p == null || !p.isTextual()) throw new DataException(-1, file, "line " + line + ": 'img_path' missing or not a string");
        String stem = p.asText().contains(".") ? p.asText().substring(0, p.asText().indexOf('.')) : p.asText();
        long id;
        try {
            id = Long.parseLong(stem);
        } catch (NumberFormatException e) {
            throw new DataException(-1, file, "line " + line + ": img_path '" + p.asText() + "' is not <integer id>.jpg");
        }
        if (s == null || !s.isArray() || s.isEmpty()) throw new DataException(-1, file, "line " + line + ": 'sentences' missing, empty or not a list");
        List<String> caps = new ArrayList<>();
        for (JsonNode c : s) {
            if (!c.isTextual()) throw new DataException(-1, file, "line " + line + ": a sentence is not a string");
            caps.add(c.asText());
        }
        return new Image(id, List.copyOf(caps));
    }

    public List<Long> imageIds() { return images.stream().map(Image::id).toList(); }

    /** Captions of all images in order (caption index = position here). */
    public List<String> captions() {
        List<String> out = new ArrayList<>();
        for (Image i : images) out.addAll(i.sentences());
        return out;
    }

    /** The image index of each caption index. */
    public int[] imageOf() {
        int[] out = new int[images.stream().mapToInt(i -> i.sentences().size()).sum()];
        int c = 0;
        for (int i = 0; i < images.size(); i++) for (int k = 0; k < images.get(i).sentences().size(); k++) out[c++] = i;
        return out;
    }
}
