package dev.groundwork.models.data.vg;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One element of an image's {@code relationships} in VG's {@code relationships.json}: {@code synsets}
 * (the predicate's, possibly empty) and its {@code subject} and {@code object}, each with
 * {@code object_id}, {@code name} (or {@code names}) and {@code synsets}.
 *
 * @param predicate the relationship's first synset, or null when it has none
 */
record Relationship(String predicate, End subject, End object) {
    /** An end of a relationship: the object's id, its name as a phrase, its first synset (or null). */
    record End(long objectId, String name, String synset) {}

    /** What makes {@code r} unusable, or null when {@link #of} can read it. */
    static String problem(JsonNode r) {
        if (r == null || !r.isObject()) return "not an object";
        for (String side : new String[]{"subject", "object"}) {
            JsonNode e = r.get(side);
            if (e == null || !e.isObject()) return "'" + side + "' missing";
            JsonNode id = e.get("object_id");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) return side + " has no integer object_id";
            if (name(e) == null) return side + " " + id.asLong() + " has no name";
        }
        JsonNode s = r.get("synsets");
        if (s != null && !s.isArray()) return "'synsets' is not a list";
        return null;
    }

    /** {@code r} read; call {@link #problem} first. */
    static Relationship of(JsonNode r) {
        return new Relationship(firstSynset(r), end(r.get("subject")), end(r.get("object")));
    }

    private static End end(JsonNode e) { return new End(e.get("object_id").asLong(), VgPrepare.clean(name(e)), firstSynset(e)); }

    /** {@code name}, or the first of {@code names} (VG writes either), if it is a non-blank string. */
    private static String name(JsonNode e) {
        JsonNode n = e.get("name");
        if (n == null) {
            JsonNode names = e.get("names");
            n = names != null && names.isArray() && !names.isEmpty() ? names.get(0) : null;
        }
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static String firstSynset(JsonNode n) {
        JsonNode s = n.get("synsets");
        return s != null && s.isArray() && !s.isEmpty() && s.get(0).isTextual() && !s.get(0).asText().isBlank() ? s.get(0).asText().strip() : null;
    }
}
