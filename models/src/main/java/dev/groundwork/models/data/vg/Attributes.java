package dev.groundwork.models.data.vg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.models.data.DataException;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * VG's {@code attributes.json}, read alongside {@code relationships.json}: both list the images in the
 * same order (image_data.json's), so each image's attributes are found by advancing this file to its
 * id, never holding the whole file. An image the file does not have at or after the current point (a
 * file in another order, or one missing images) is an error naming the image, not attributes silently
 * left unused; without the file, objects are described by their names.
 */
final class Attributes implements AutoCloseable {
    private final JsonArrayStream stream;
    private JsonNode pending;
    private long used;

    private Attributes(JsonArrayStream stream) { this.stream = stream; }

    /** Over {@code file}, or an empty source when null (descriptions are then the names alone). */
    static Attributes open(Path file) throws DataException { return new Attributes(file == null ? null : new JsonArrayStream(file)); }

    boolean present() { return stream != null; }

    /** How many objects got an attribute. */
    long used() { return used; }

    /** object_id to its first attribute, for image {@code id}; empty when the file has none for it. */
    Map<Long, String> forImage(long id) throws DataException {
        Map<Long, String> out = new HashMap<>();
        if (stream == null) return out;
        JsonNode n = pending != null ? pending : stream.next();
        pending = null;
        while (n != null) {
            Long at = VgPrepare.imageId(n);
            if (at != null && at == id) break;
            n = stream.next();
        }
        if (n == null)
            throw new DataException(-1, stream.file(), "has no entry for image " + id + " at or after this point: attributes.json must list "
                    + "the images in relationships.json's order (VG's files do), or leave it out to describe objects by their names");
        JsonNode list = n.get("attributes");
        if (list != null && list.isArray())
            for (JsonNode o : list) {
                JsonNode oid = o.get("object_id"), a = o.get("attributes");
                if (oid == null || !oid.canConvertToLong() || a == null || !a.isArray()) continue;
                for (JsonNode v : a)
                    if (v.isTextual() && !v.asText().isBlank()) {
                        out.putIfAbsent(oid.asLong(), VgPrepare.clean(v.asText()));
                        break;
                    }
            }
        return new CountingMap(out);
    }

    /** Counts the attributes actually used in a description. */
    private final class CountingMap extends HashMap<Long, String> {
        CountingMap(Map<Long, String> m) { super(m); }

        @Override
        public String get(Object key) {
            String v = super.get(key);
            if (v != null) used++;
            return v;
        }
    }

    @Override
    public void close() throws DataException {
        if (stream != null) stream.close();
    }
}
