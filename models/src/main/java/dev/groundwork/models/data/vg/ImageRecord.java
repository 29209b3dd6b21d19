package dev.groundwork.models.data.vg;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image's stage-3 record (spec §4.1) under {@link VgPrepare}'s rules: the ends of its kept
 * relationships as objects (first appearance, at most O), their descriptions and classes, and the
 * N×N predicate matrix. Extra fields {@code image_id} and {@code object_id} let a record be traced back
 * to VG; the loader reads only the four of §4.1.
 */
final class ImageRecord {
    private final long imageId;
    private final List<Long> objectIds = new ArrayList<>();
    private final List<String> descriptions = new ArrayList<>();
    private final List<Integer> classes = new ArrayList<>();
    private final Map<Long, Integer> index = new LinkedHashMap<>();
    private final Map<Long, Integer> relations = new LinkedHashMap<>();   // subject index * O + object index -> predicate id
    private final int maxObjects;

    private ImageRecord(long imageId, int maxObjects) {
        this.imageId = imageId;
        this.maxObjects = maxObjects;
    }

    /** The record, or null when no relationship of the image is kept; {@code counts} gets what was left out and why. */
    static ImageRecord build(long imageId, JsonNode relationships, Map<Long, String> attributes, Map<String, Integer> predicateId,
                             Map<String, Integer> classId, int maxObjects, Map<String, Long> counts) {
        ImageRecord rec = new ImageRecord(imageId, maxObjects);
        for (JsonNode r : relationships) {
            VgPrepare.bump(counts, "relationships");
            Relationship rel = Relationship.of(r);
            Integer p = rel.predicate() == null ? null : predicateId.get(rel.predicate());
            if (rel.predicate() == null) VgPrepare.bump(counts, "relationships left out: no predicate synset");
            else if (p == null) VgPrepare.bump(counts, "relationships left out: predicate not among the kept ones");
            else if (rel.subject().objectId() == rel.object().objectId()) VgPrepare.bump(counts, "relationships left out: an object with itself");
            else if (!rec.fits(rel)) VgPrepare.bump(counts, "relationships left out: an end past the first " + maxObjects + " objects");
            else {
                int s = rec.add(rel.subject(), attributes, classId), o = rec.add(rel.object(), attributes, classId);
                if (rec.relations.putIfAbsent((long) s * maxObjects + o, p) != null)
                    VgPrepare.bump(counts, "relationships left out: the pair already has a predicate");
                else VgPrepare.bump(counts, "relationships kept");
            }
        }
        if (rec.relations.isEmpty()) return null;
        counts.merge("objects", (long) rec.objectIds.size(), Long::sum);
        counts.merge("objects of class 0 (not among the kept classes)", rec.classes.stream().filter(c -> c == 0).count(), Long::sum);
        return rec;
    }

    /** Whether both ends are already objects or there is room for the new ones. */
    private boolean fits(Relationship r) {
        int fresh = (index.containsKey(r.subject().objectId()) ? 0 : 1) + (index.containsKey(r.object().objectId()) ? 0 : 1);
        return objectIds.size() + fresh <= maxObjects;
    }

    private int add(Relationship.End e, Map<Long, String> attributes, Map<String, Integer> classId) {
        Integer at = index.get(e.objectId());
        if (at != null) return at;
        int i = objectIds.size();
        index.put(e.objectId(), i);
        objectIds.add(e.objectId());
        String attr = attributes.get(e.objectId());
        descriptions.add(attr == null || attr.equals(e.name()) ? e.name() : attr + " " + e.name());
        classes.add(e.synset() == null ? 0 : classId.getOrDefault(e.synset(), 0));
        return i;
    }

    void write(JsonGenerator g, String image) throws IOException {
        int n = objectIds.size();
        g.writeStartObject();
        g.writeStringField("image", image);
        g.writeNumberField("image_id", imageId);
        g.writeArrayFieldStart("object_description");
        for (String d : descriptions) g.writeString(d);
        g.writeEndArray();
        g.writeArrayFieldStart("object_class");
        for (int c : classes) g.writeNumber(c);
        g.writeEndArray();
        g.writeArrayFieldStart("object_id");
        for (long id : objectIds) g.writeNumber(id);
        g.writeEndArray();
        g.writeArrayFieldStart("relation");
        for (int i = 0; i < n; i++) {
            g.writeStartArray();
            for (int j = 0; j < n; j++) g.writeNumber(relations.getOrDefault((long) i * maxObjects + j, 0));
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
