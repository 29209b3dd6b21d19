package dev.groundwork.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.VgBertText;

import java.nio.file.Path;

/**
 * The stage-3 Visual Genome index (spec §4.1): {@code {"image_base_path", "data": [{"image",
 * "object_description": [N], "object_class": [N], "relation": N×N}]}}. Only those fields are read.
 * The first O=32 objects are kept and phrases are cut to L=10 tokens (§9.22, reproduced: a long
 * phrase loses its [SEP]). Every object class must be in [0, C) and every predicate in [0, K);
 * a label outside is an error rather than an index crash later in the loss. A relative base path
 * is resolved against the index file's folder.
 */
public final class VisualGenome implements Dataset<RelationItem> {
    public static final int OBJECTS = 32, PHRASE_SLOTS = 10;
    /** The paper's label spaces: 56 object classes (0 ignored) and K=115 predicates (0 = none). */
    public static final int OBJECT_CLASSES = 56, PREDICATES = 115;

    private final Path file, imageBase;
    private final JsonNode data;
    private final BertTokenizer tokenizer;
    private final ImagePipeline pipeline;
    private final int objectClasses, predicates, objects, slots;

    public VisualGenome(Path file, BertTokenizer tokenizer, ImagePipeline pipeline, int objectClasses, int predicates) throws DataException {
        this(file, tokenizer, pipeline, objectClasses, predicates, OBJECTS, PHRASE_SLOTS);
    }

    public VisualGenome(Path file, BertTokenizer tokenizer, ImagePipeline pipeline, int objectClasses, int predicates,
                        int objects, int slots) throws DataException {
        JsonNode root = JsonFiles.read(file);
        this.file = file;
        this.imageBase = JsonFiles.base(root, "image_base_path", file);
        this.data = JsonFiles.array(root, "data", file);
        this.tokenizer = tokenizer;
        this.pipeline = pipeline;
        this.objectClasses = objectClasses;
        this.predicates = predicates;
        this.objects = objects;
        this.slots = slots;
    }

    @Override
    public int size() { return data.size(); }

    public Path imagePath(int index) throws DataException {
        return imageBase.resolve(JsonFiles.text(data.get(index), "image", index, file));
    }

    /** The labels of one record, validated, before padding: phrases, classes and the N×N relation matrix. */
    public record Labels(String[] phrases, int[] classes, int[][] relations) {}

    public Labels labels(int index) throws DataException {
        JsonNode rec = data.get(index);
        JsonNode desc = rec.get("object_description"), cls = rec.get("object_class"), rel = rec.get("relation");
        if (desc == null || !desc.isArray()) throw bad(index, "'object_description' missing or not a list");
        if (cls == null || !cls.isArray()) throw bad(index, "'object_class' missing or not a list");
        if (rel == null || !rel.isArray()) throw bad(index, "'relation' missing or not a list");
        int n = desc.size();
        if (cls.size() != n) throw bad(index, "object_class has " + cls.size() + " entries for " + n + " objects");
        if (rel.size() != n) throw bad(index, "relation has " + rel.size() + " rows for " + n + " objects");
        String[] phrases = new String[n];
        int[] classes = new int[n];
        int[][] relations = new int[n][n];
        for (int i = 0; i < n; i++) {
            if (!desc.get(i).isTextual()) throw bad(index, "object_description[" + i + "] is not a string");
            phrases[i] = desc.get(i).asText();
            classes[i] = JsonFiles.integer(cls.get(i), "object_class[" + i + "]", index, file);
            if (classes[i] < 0 || classes[i] >= objectClasses)
                throw bad(index, "object_class[" + i + "] = " + classes[i] + " outside [0, " + objectClasses + ")");
            JsonNode row = rel.get(i);
            if (!row.isArray() || row.size() != n) throw bad(index, "relation row " + i + " has " + row.size() + " entries, want " + n);
            for (int j = 0; j < n; j++) {
                int r = JsonFiles.integer(row.get(j), "relation[" + i + "][" + j + "]", index, file);
                if (r < 0 || r >= predicates) throw bad(index, "relation[" + i + "][" + j + "] = " + r + " outside [0, K=" + predicates + ")");
                relations[i][j] = r;
            }
        }
        return new Labels(phrases, classes, relations);
    }

    private DataException bad(int index, String why) { return new DataException(index, file, why); }

    /** The labels (every rule of {@link #labels}) and the image's header. */
    @Override
    public void check(int index) throws DataException {
        labels(index);
        ImageIo.checkHeader(imagePath(index), index);
    }

    @Override
    public RelationItem get(int index, Generator rng) throws DataException {
        Path image = imagePath(index);
        Labels l = labels(index);
        int kept = Math.min(l.phrases().length, objects);
        int[] ids = new int[objects * slots], types = new int[objects * slots], mask = new int[objects * slots];
        // Padding objects still get type 1 in every slot, as the loader does for padded tokens (§2.2).
        java.util.Arrays.fill(types, 1);
        int[] classes = new int[objects], relations = new int[objects * objects];
        for (int i = 0; i < kept; i++) {
            VgBertText.Caption c = VgBertText.encodeCaption(tokenizer, l.phrases()[i], slots);
            System.arraycopy(c.ids(), 0, ids, i * slots, slots);
            System.arraycopy(c.types(), 0, types, i * slots, slots);
            System.arraycopy(c.mask(), 0, mask, i * slots, slots);
            classes[i] = l.classes()[i];
            for (int j = 0; j < kept; j++) relations[i * objects + j] = l.relations()[i][j];
        }
        RgbImage img = pipeline.apply(ImageIo.read(image, index), rng);
        return new RelationItem(index, img, kept, ids, types, mask, classes, relations);
    }
}
