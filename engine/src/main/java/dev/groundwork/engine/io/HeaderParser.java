package dev.groundwork.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON header into entries and metadata, checking syntax and field types only; whether
 * the offsets fit the data buffer is {@link LayoutCheck}'s job.
 *
 * <p>We walk Jackson's token stream instead of binding to a tree so that duplicate keys (which tree
 * binding silently resolves to the last one) are seen and reported by name, at every level.
 */
final class HeaderParser {
    static final String METADATA_KEY = "__metadata__";
    private static final JsonFactory JSON = new JsonFactory();

    record Header(List<TensorEntry> entries, Map<String, String> metadata) {}

    private final String file;

    private HeaderParser(String file) {
        this.file = file;
    }

    /** @param file how to name the file in messages */
    static Header parse(byte[] headerBytes, String file) throws SafeTensorsException {
        return new HeaderParser(file).parse(headerBytes);
    }

    private Header parse(byte[] bytes) throws SafeTensorsException {
        String text = decodeUtf8(bytes);
        try (JsonParser p = JSON.createParser(text)) {
            return parseTop(p);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage()
                    + " at " + e.getLocation().offsetDescription(), e);
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) { // reading from a String: only the parser's own errors land here
            throw new SafeTensorsException(file + ": header could not be parsed: " + e.getMessage(), e);
        }
    }

    // Strict decoding: the default String constructor would replace bad bytes with U+FFFD silently.
    private String decodeUtf8(byte[] bytes) throws SafeTensorsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file + ": header is not valid UTF-8 (" + e + ")", e);
        }
    }

    private Header parseTop(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw fail(null, "header must be a JSON object, found " + describe(p.currentToken()));
        }
        List<TensorEntry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, String> metadata = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (!seen.add(key)) {
                throw fail(key, "duplicate key in header (each tensor name may appear only once)");
            }
            p.nextToken();
            if (key.equals(METADATA_KEY)) {
                metadata = parseMetadata(p);
            } else {
                entries.add(parseEntry(p, key));
            }
        }
        // The reference writer pads with spaces, which the tokenizer skips; anything else is junk.
        if (p.nextToken() != null) {
            throw fail(null, "unexpected content after the header's JSON object");
        }
        return new Header(List.copyOf(entries), metadata);
    }

    private Map<String, String> parseMetadata(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(null, METADATA_KEY + " must be an object of strings, found " + describe(p.currentToken()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw fail(null, METADATA_KEY + " must be an object of strings, but key '" + key
                        + "' has " + describe(p.currentToken()));
            }
            if (out.put(key, p.getText()) != null) {
                throw fail(null, METADATA_KEY + " has duplicate key '" + key + "'");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private TensorEntry parseEntry(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(name, "entry must be an object, found " + describe(p.currentToken()));
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) throw fail(name, "duplicate field 'dtype'");
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw fail(name, "field 'dtype' must be a string, found " + describe(p.currentToken()));
                    }
                    dtype = p.getText();
                }
                case "shape" -> {
                    if (shape != null) throw fail(name, "duplicate field 'shape'");
                    shape = parseNonNegativeInts(p, name, "shape");
                }
                case "data_offsets" -> {
                    if (offsets != null) throw fail(name, "duplicate field 'data_offsets'");
                    offsets = parseNonNegativeInts(p, name, "data_offsets");
                    if (offsets.length != 2) {
                        throw fail(name, "field 'data_offsets' must be [begin, end], found "
                                + offsets.length + " numbers");
                    }
                }
                default -> throw fail(name, "unexpected field '" + field
                        + "' (allowed: dtype, shape, data_offsets)");
            }
        }
        if (dtype == null) throw fail(name, "missing field 'dtype'");
        if (shape == null) throw fail(name, "missing field 'shape'");
        if (offsets == null) throw fail(name, "missing field 'data_offsets'");
        if (SafeDType.parse(dtype) == null) {
            throw fail(name, "unknown dtype '" + dtype + "' (known: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    // Shapes and offsets share the rule: an array of integers that fit a signed 64-bit long, none negative.
    private long[] parseNonNegativeInts(JsonParser p, String name, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw fail(name, "field '" + field + "' must be an array of integers, found " + describe(p.currentToken()));
        }
        List<Long> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw fail(name, "field '" + field + "' must contain only integers, found " + describe(p.currentToken()));
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw fail(name, "field '" + field + "' has an integer too large for 64 bits: " + p.getText());
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw fail(name, "field '" + field + "' must not be negative, found " + v
                        + (field.equals("shape") ? " (negative dimension)" : ""));
            }
            values.add(v);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a non-integer number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private SafeTensorsException fail(String tensor, String rule) {
        return new SafeTensorsException(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + rule);
    }
}
