package dev.groundwork.models.data.vg;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.data.BadRecords;
import dev.groundwork.models.data.DataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Visual Genome as downloaded (v1.4: {@code image_data.json}, {@code relationships.json} and, for the
 * object descriptions, {@code attributes.json}) into the stage-3 records of spec §4.1
 * ({@code VG_train.json}, {@code VG_val.json}). The original repository never published how its
 * {@code VG_*_dataset_finalized.json} was made, so every choice here is ours, stated once:
 * <ol>
 *   <li><b>Predicates</b> are relationship synsets ({@code synsets[0]}, e.g. {@code on.r.01},
 *       {@code wear.v.01}): the spec's "filtered relation synsets". The K−1 = 114 most frequent in the
 *       training split get ids 1..114 by falling count (ties alphabetical); 0 is "no relation". A
 *       relationship without a synset, or with one outside the kept list, is left out.</li>
 *   <li><b>Object classes</b>: an object's {@code synsets[0]}; the C−1 = 55 most frequent among the
 *       training split's kept objects get ids 1..55, every other object class 0, which the loss and
 *       the metrics ignore (spec §4.1: "presumably not in the 55 kept categories").</li>
 *   <li><b>Objects</b> of an image are the ends of its kept relationships, in order of first
 *       appearance (subject before object), one per {@code object_id}, at most O = 32 (the loader's
 *       first-32 policy, applied here so no relationship points past it); a relationship whose ends do
 *       not both fit is left out. {@code objects.json} is not needed: the relationships carry their ends'
 *       names and synsets.</li>
 *   <li><b>Descriptions</b> ("white cloud"): the object's first attribute in {@code attributes.json}
 *       and its name ({@code name} or {@code names[0]}), lower-cased with spaces collapsed; the name alone
 *       when it has no attribute or no attributes file is given. {@code attributes.json} is read
 *       alongside {@code relationships.json} and must list its images in the same order (VG's do).</li>
 *   <li><b>One label per pair</b>: when a (subject, object) pair has several kept predicates, the first
 *       in the file wins; a relationship of an object with itself is left out.</li>
 *   <li><b>Split</b>: VG has no official one; an image is in val when a hash of its id (SplitMix64)
 *       falls in the val fraction (default 5%), so the split does not depend on file order.</li>
 *   <li><b>Images</b> with no kept relationship are left out. Paths are the last two parts of the
 *       image's URL ({@code VG_100K_2/1.jpg}) under the image folder.</li>
 *   <li><b>COCO's test images</b>: about half of VG's images are COCO images ({@code coco_id} in
 *       {@code image_data.json}). Given Karpathy's {@code dataset_coco.json}, every VG image whose
 *       {@code coco_id} is in its test split is left out of both VG splits and of the predicate and class
 *       counts, so stage 3 never sees an image the retrieval evaluation ranks (the transfer starts from
 *       stage 3's weights). Karpathy's val and restval images stay: the evaluation does not use them.
 *       Without the file nothing is left out, and the run says how many VG images are COCO images.</li>
 * </ol>
 * Bad records (an element without {@code image_id}, a relationship without its ends, an image missing
 * from {@code image_data.json}) are all gathered before anything is written and handled by the policy:
 * FAIL lists them and stops, SKIP leaves those images out. The outputs are written atomically, with
 * {@code predicates.tsv}, {@code object_classes.tsv} and {@code prepare-vg.json} (the options and counts).
 */
public final class VgPrepare {
    public static final String TRAIN = "VG_train.json", VAL = "VG_val.json", PREDICATES = "predicates.tsv",
            CLASSES = "object_classes.tsv", SUMMARY = "prepare-vg.json", PROBLEMS = "prepare-vg-problems.txt";

    /**
     * @param vg         the folder with image_data.json, relationships.json and (optional) attributes.json
     * @param images     the folder holding VG_100K/ and VG_100K_2/ (null: {@code vg})
     * @param predicates kept predicates, K−1 (114 for the paper's K = 115)
     * @param classes    kept object classes, C−1 (55 for the paper's C = 56)
     * @param maxObjects O (32)
     * @param karpathy   Karpathy's dataset_coco.json, whose test images are left out (null: none left out)
     */
    public record Options(Path vg, Path images, Path out, int predicates, int classes, int maxObjects, double valFraction,
                          BadRecordPolicy policy, Path karpathy) {
        public Options {
            if (predicates < 1 || classes < 1 || maxObjects < 2) throw new IllegalArgumentException("predicates and classes must be >= 1, max objects >= 2");
            if (!(valFraction >= 0 && valFraction < 1)) throw new IllegalArgumentException("the val fraction must be in [0, 1), got " + valFraction);
        }

        public static Options paper(Path vg, Path out) { return new Options(vg, null, out, 114, 55, 32, 0.05, BadRecordPolicy.FAIL, null); }

        /** These options with Karpathy's split file, whose test images are left out. */
        public Options withKarpathy(Path file) { return new Options(vg, images, out, predicates, classes, maxObjects, valFraction, policy, file); }
    }

    /** What was written, and the counts behind it (also in prepare-vg.json). */
    public record Summary(int train, int val, int predicates, int classes, Map<String, Long> counts) {}

    private VgPrepare() {}

    public static Summary run(Options o, Consumer<String> log) throws DataException, IOException {
        Path imageData = o.vg().resolve("image_data.json"), rels = o.vg().resolve("relationships.json"), attrs = o.vg().resolve("attributes.json");
        Map<Long, ImageInfo> info = imageInfo(imageData);
        long coco = info.values().stream().filter(i -> i.cocoId() != null).count();
        log.accept("image_data.json: " + info.size() + " images, " + coco + " of them COCO images");
        java.util.Set<Long> heldOut = heldOut(o, info, log);

        // Pass 1: check every record, count synsets in the training split.
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Integer> predicateCount = new HashMap<>(), classCount = new HashMap<>();
        List<String> problems = new ArrayList<>();
        java.util.Set<Long> bad = new java.util.HashSet<>();
        try (JsonArrayStream s = new JsonArrayStream(rels)) {
            for (JsonNode im = s.next(); im != null; im = s.next()) {
                bump(counts, "images in relationships.json");
                Long id = imageId(im);
                List<String> p = new ArrayList<>();
                if (id == null) p.add("no integer image_id");
                else if (!info.containsKey(id)) p.add("image " + id + " is not in image_data.json");
                JsonNode list = im.get("relationships");
                if (list == null || !list.isArray()) p.add("'relationships' missing or not a list");
                else for (int r = 0; r < list.size(); r++) {
                    String why = Relationship.problem(list.get(r));
                    if (why != null) p.add("relationships[" + r + "]: " + why);
                }
                if (!p.isEmpty()) {
                    problems.add(rels.getFileName() + " element " + s.index() + (id == null ? "" : " (image " + id + ")") + ": " + String.join("; ", p));
                    if (id != null) bad.add(id);
                    continue;
                }
                if (isVal(id, o.valFraction()) || heldOut.contains(id)) continue;
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (JsonNode r : list) {
                    Relationship rel = Relationship.of(r);
                    if (rel.predicate() == null) continue;
                    predicateCount.merge(rel.predicate(), 1, Integer::sum);
                    for (Relationship.End e : List.of(rel.subject(), rel.object()))
                        if (e.synset() != null && seen.add(e.objectId())) classCount.merge(e.synset(), 1, Integer::sum);
                }
            }
        }
        if (!problems.isEmpty()) {
            Files.createDirectories(o.out());
            Files.write(o.out().resolve(PROBLEMS), problems, StandardCharsets.UTF_8);
            String listing = problems.size() + " bad record(s) in " + o.vg() + listing(problems) + "\n  the full list is in " + o.out().resolve(PROBLEMS);
            if (o.policy() == BadRecordPolicy.FAIL)
                throw new DataException(-1, rels, listing + "\n  (--bad-records skip leaves those images out)");
            log.accept("skipping " + listing);
        }
        List<String> predicates = top(predicateCount, o.predicates()), classes = top(classCount, o.classes());
        Map<String, Integer> predicateId = ids(predicates), classId = ids(classes);

        // Pass 2: the records, with the descriptions from attributes.json read alongside.
        Path imageBase = o.images() != null ? o.images() : o.vg();
        Files.createDirectories(o.out());
        Path trainTmp = o.out().resolve(TRAIN + ".tmp"), valTmp = o.out().resolve(VAL + ".tmp");
        int[] written = new int[2];
        // The generators close the open list and object themselves (AUTO_CLOSE_JSON_CONTENT); a failure leaves no partial output.
        try (JsonArrayStream s = new JsonArrayStream(rels); Attributes a = Attributes.open(Files.isRegularFile(attrs) ? attrs : null);
             JsonGenerator train = open(trainTmp, o.out(), imageBase); JsonGenerator val = open(valTmp, o.out(), imageBase)) {
            for (JsonNode im = s.next(); im != null; im = s.next()) {
                Long id = imageId(im);
                if (id == null || bad.contains(id)) continue;
                if (heldOut.contains(id)) {
                    bump(counts, "images left out: COCO Karpathy test images");
                    continue;
                }
                ImageRecord rec = ImageRecord.build(id, im.get("relationships"), a.forImage(id), predicateId, classId, o.maxObjects(), counts);
                if (rec == null) {
                    bump(counts, "images left out: no kept relationship");
                    continue;
                }
                boolean v = isVal(id, o.valFraction());
                rec.write(v ? val : train, info.get(id).path());
                written[v ? 1 : 0]++;
            }
            if (a.present()) counts.put("objects described with an attribute", a.used());
        } catch (DataException | IOException | RuntimeException e) {
            Files.deleteIfExists(trainTmp);
            Files.deleteIfExists(valTmp);
            throw e;
        }
        Files.move(trainTmp, o.out().resolve(TRAIN), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(valTmp, o.out().resolve(VAL), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writeList(o.out().resolve(PREDICATES), "predicate synset", predicates, predicateCount);
        writeList(o.out().resolve(CLASSES), "object synset", classes, classCount);
        counts.put("train images", (long) written[0]);
        counts.put("val images", (long) written[1]);
        Summary sum = new Summary(written[0], written[1], predicates.size(), classes.size(), counts);
        writeSummary(o, sum, Files.isRegularFile(attrs));
        return sum;
    }

    /**
     * The VG image ids whose {@code coco_id} is a Karpathy test image (none without the file); without it, a
     * note that COCO images are not checked.
     */
    private static java.util.Set<Long> heldOut(Options o, Map<Long, ImageInfo> info, Consumer<String> log) throws DataException {
        if (o.karpathy() == null) {
            log.accept("no --karpathy file: Visual Genome images that are COCO Karpathy test images are not left out");
            return java.util.Set.of();
        }
        java.util.Set<Long> test = dev.groundwork.models.data.CaptionFiles.karpathyCocoIds(o.karpathy(), java.util.Set.of("test"));
        java.util.Set<Long> out = new java.util.HashSet<>();
        info.forEach((id, i) -> { if (i.cocoId() != null && test.contains(i.cocoId())) out.add(id); });
        log.accept(o.karpathy().getFileName() + ": " + test.size() + " Karpathy test images; " + out.size()
                + " Visual Genome images are among them and are left out");
        return out;
    }

    /** Where an image is and its COCO id (null: not a COCO image), from image_data.json (v1.4 names it image_id, v1.2 id). */
    record ImageInfo(String path, Long cocoId) {}

    private static Map<Long, ImageInfo> imageInfo(Path file) throws DataException {
        Map<Long, ImageInfo> out = new HashMap<>();
        List<String> problems = new ArrayList<>();
        try (JsonArrayStream s = new JsonArrayStream(file)) {
            for (JsonNode n = s.next(); n != null; n = s.next()) {
                Long id = imageId(n);
                JsonNode url = n.get("url"), coco = n.get("coco_id");
                boolean cocoOk = coco == null || coco.isNull() || (coco.isIntegralNumber() && coco.canConvertToLong());
                if (id == null || url == null || !url.isTextual()) problems.add("element " + s.index() + ": needs an integer image_id and a url");
                else if (!cocoOk) problems.add("element " + s.index() + " (image " + id + "): coco_id is neither null nor an integer");
                else out.put(id, new ImageInfo(relativePath(url.asText()), coco == null || coco.isNull() ? null : coco.asLong()));
            }
        }
        if (!problems.isEmpty()) throw new DataException(-1, file, problems.size() + " bad record(s)" + listing(problems));
        return out;
    }

    /** "https://cs.stanford.edu/people/rak248/VG_100K_2/1.jpg" -> "VG_100K_2/1.jpg". */
    static String relativePath(String url) {
        String[] parts = url.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : parts[parts.length - 1];
    }

    static Long imageId(JsonNode n) {
        JsonNode id = n.has("image_id") ? n.get("image_id") : n.get("id");
        return id != null && id.isIntegralNumber() && id.canConvertToLong() ? id.asLong() : null;
    }

    /** The split rule: SplitMix64 of the id, as a fraction in [0, 1). */
    static boolean isVal(long id, double fraction) {
        long z = id + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < fraction;
    }

    /** The n most frequent, by falling count then name. */
    static List<String> top(Map<String, Integer> counts, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).toList();
    }

    private static Map<String, Integer> ids(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), i + 1);
        return m;
    }

    static void bump(Map<String, Long> counts, String key) { counts.merge(key, 1L, Long::sum); }

    private static JsonGenerator open(Path tmp, Path out, Path imageBase) throws IOException {
        JsonGenerator g = new ObjectMapper().getFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8);
        g.writeStartObject();
        Path base = imageBase.toAbsolutePath().normalize(), dir = out.toAbsolutePath().normalize();
        String rel;
        try {
            rel = dir.relativize(base).toString();
        } catch (IllegalArgumentException e) {
            rel = base.toString();
        }
        g.writeStringField("image_base_path", rel.isEmpty() ? "." : rel);
        g.writeArrayFieldStart("data");
        return g;
    }

    private static void writeList(Path file, String what, List<String> names, Map<String, Integer> counts) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("id\t" + what + "\ttrain count");
        lines.add("0\t(none)\t");
        for (int i = 0; i < names.size(); i++) lines.add((i + 1) + "\t" + names.get(i) + "\t" + counts.get(names.get(i)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeSummary(Options o, Summary s, boolean attributes) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vg", o.vg().toString());
        m.put("images", (o.images() != null ? o.images() : o.vg()).toString());
        m.put("attributes_json", attributes);
        m.put("predicates", s.predicates());
        m.put("object_classes", s.classes());
        m.put("max_objects", o.maxObjects());
        m.put("val_fraction", o.valFraction());
        m.put("karpathy_test_left_out", o.karpathy() == null ? null : o.karpathy().toString());
        m.put("relation_num", s.predicates() + 1);
        m.put("counts", s.counts());
        Path file = o.out().resolve(SUMMARY), tmp = o.out().resolve(SUMMARY + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), m);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String listing(List<String> problems) { return ":" + BadRecords.list(problems); }

    /** A lower-cased phrase with single spaces. */
    static String clean(String s) { return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT); }
}
