package dev.groundwork.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Shared JSON reading with errors that name the file, the record and the field. */
final class JsonFiles {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {}

    static JsonNode read(Path file) throws DataException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new DataException(-1, file, "no such file", e);
        } catch (IOException e) {
            if (!file.toFile().isFile()) throw new DataException(-1, file, "no such file", e);
            throw new DataException(-1, file, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    static JsonNode array(JsonNode root, String field, Path file) throws DataException {
        JsonNode a = root.get(field);
        if (a == null || !a.isArray()) throw new DataException(-1, file, "missing array field '" + field + "'");
        return a;
    }

    static String text(JsonNode node, String field, int index, Path file) throws DataException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw new DataException(index, file, "field '" + field + "' missing or not a string");
        return v.asText();
    }

    static int integer(JsonNode v, String what, int index, Path file) throws DataException {
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber())
            throw new DataException(index, file, what + " is not an integer: " + v);
        return v.asInt();
    }

    /** A base path from the index file: relative paths are taken relative to the file's folder. */
    static Path base(JsonNode root, String field, Path file) throws DataException {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual()) throw new DataException(-1, file, "missing string field '" + field + "'");
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve(v.asText());
    }
}
