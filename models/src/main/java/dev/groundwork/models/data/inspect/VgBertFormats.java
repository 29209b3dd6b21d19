package dev.groundwork.models.data.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.ImageFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link DatasetInspector} for VG-BERT's formats: the stage-2 COCO index, the stage-3 Visual Genome
 * index, the Karpathy split file and a COCO captions file (records, ids, captions or objects), and a
 * stage-1 image folder (classes and images per class).
 */
final class VgBertFormats {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    private VgBertFormats() {}

    static JsonNode json(Path p) throws DataException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new DataException(-1, p, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        ObjectNode out = J.objectNode();
        if (root != null && root.has("data") && root.has("caption_base_path")) {
            out.put("format", "vg-bert COCO index (stage 2)").put("records", root.get("data").size());
            ArrayNode ids = out.putArray("images");
            for (JsonNode r : root.get("data")) ids.add(r.path("image").asText());
        } else if (root != null && root.has("data") && root.has("image_base_path")) {
            out.put("format", "vg-bert Visual Genome index (stage 3)").put("records", root.get("data").size());
            ArrayNode recs = out.putArray("objects");
            for (JsonNode r : root.get("data")) recs.addObject().put("image", r.path("image").asText()).set("object_description", r.path("object_description"));
        } else if (root != null && root.has("images") && root.has("annotations")) {
            out.put("format", "COCO captions").put("images", root.get("images").size()).put("captions", root.get("annotations").size());
        } else if (root != null && root.has("images")) {
            out.put("format", "Karpathy split file");
            Map<String, Integer> splits = new TreeMap<>();
            ArrayNode recs = out.putArray("records");
            for (JsonNode im : root.get("images")) {
                splits.merge(im.path("split").asText("?"), 1, Integer::sum);
                ArrayNode caps = recs.addObject().put("filename", im.path("filename").asText()).put("split", im.path("split").asText()).putArray("captions");
                for (JsonNode s : im.path("sentences")) caps.add(s.path("raw").asText());
            }
            ObjectNode s = out.putObject("splits");
            splits.forEach(s::put);
        } else if (root != null && root.isObject() && root.size() > 0 && root.elements().next().isTextual()) {
            out.put("format", "InterBERT caption dictionary {image_id: caption}").put("records", root.size());
            out.set("captions", root);
        } else {
            throw new DataException(-1, p, "is JSON, but none of the dataset index formats this project reads");
        }
        return out;
    }

    static JsonNode imageFolder(Path dir) throws DataException {
        ImageFolder f = new ImageFolder(dir, null);
        ObjectNode out = J.objectNode().put("format", "image folder (stage 1)").put("images", f.size());
        ObjectNode per = out.putObject("classes");
        for (String c : f.classes()) per.put(c, 0);
        for (int i = 0; i < f.size(); i++) {
            String c = f.classes().get(f.label(i));
            per.put(c, per.get(c).asInt() + 1);
        }
        if (Files.isDirectory(dir.resolve("train"))) out.put("note", "has a train/ folder: inspect " + dir.resolve("train") + " for the split");
        return out;
    }
}
