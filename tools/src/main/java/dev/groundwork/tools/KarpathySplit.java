package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images and captions of one split of a Karpathy dataset_coco.json, only as far as
 * {@code gw eval retrieval} needs them. A stopgap: the data layer owns the full reader, and this
 * should switch to it once it lands.
 */
final class KarpathySplit {
    /** One image: its file and its first {@code maxCaptions} raw captions. */
    record Item(Path image, List<String> captions) {}

    private KarpathySplit() {}

    /** Items of {@code split} in file order; image paths are imagesDir/filepath/filename. */
    static List<Item> read(Path json, Path imagesDir, String split, int maxCaptions) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode images = root.get("images");
        if (images == null || !images.isArray()) throw new IOException(json + ": no \"images\" array (not a Karpathy split file?)");
        List<Item> out = new ArrayList<>();
        for (JsonNode im : images) {
            if (!split.equals(im.path("split").asText())) continue;
            String name = im.path("filename").asText(null);
            if (name == null) throw new IOException(json + ": an image without \"filename\"");
            String dir = im.path("filepath").asText("");
            List<String> caps = new ArrayList<>();
            for (JsonNode s : im.path("sentences")) {
                if (caps.size() == maxCaptions) break;
                caps.add(s.path("raw").asText());
            }
            if (caps.isEmpty()) throw new IOException(json + ": image " + name + " has no sentences");
            out.add(new Item(dir.isEmpty() ? imagesDir.resolve(name) : imagesDir.resolve(dir).resolve(name), caps));
        }
        if (out.isEmpty()) throw new IOException(json + ": no images in split '" + split + "'");
        return out;
    }
}
