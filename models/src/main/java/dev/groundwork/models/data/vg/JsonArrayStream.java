package dev.groundwork.models.data.vg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.models.data.DataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of Visual Genome's files ({@code image_data.json}, {@code relationships.json}, ...), each a JSON
 * list with one element per image, read one element at a time: {@code relationships.json} is about
 * 700 MB, so it is never held as one tree. Elements are bounded (nesting depth 16, strings 1 MB): VG's
 * own are a few levels deep and a few KB long, and anything else is an error naming the file and the
 * element, not an exhausted heap.
 */
final class JsonArrayStream implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 20).build());
    }

    private final Path file;
    private final JsonParser parser;
    private int index = -1;
    private boolean done;

    JsonArrayStream(Path file) throws DataException {
        this.file = file;
        if (!Files.isRegularFile(file)) throw new DataException(-1, file, "no such file");
        try {
            parser = MAPPER.getFactory().createParser(file.toFile());
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                parser.close();
                throw new DataException(-1, file, "not a JSON list at the top level (Visual Genome's files are lists with one element per image)");
            }
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** The next element (an object), or null at the end of the list. */
    JsonNode next() throws DataException {
        if (done) return null;
        try {
            if (parser.nextToken() == JsonToken.END_ARRAY) {
                done = true;
                return null;
            }
            index++;
            JsonNode n = MAPPER.readTree(parser);
            if (n == null || !n.isObject()) throw new DataException(index, file, "element " + index + " is not an object");
            return n;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** The position of the last element {@link #next} returned. */
    int index() { return index; }

    Path file() { return file; }

    private DataException malformed(IOException e) {
        return new DataException(index, file, "malformed JSON" + (index >= 0 ? " in or after element " + index : "") + ": "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }

    @Override
    public void close() throws DataException {
        try {
            parser.close();
        } catch (IOException e) {
            throw malformed(e);
        }
    }
}
