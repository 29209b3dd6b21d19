package dev.groundwork.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
 *
 * <p>Where we differ from the reference (Rust) reader, on purpose:
 * <ul>
 *   <li>Accepted as it accepts them: entry fields other than dtype, shape and data_offsets (ignored:
 *       they cannot change what is read), {@code "__metadata__": null} (no metadata), the F8 dtypes.
 *   <li>Stricter: a tensor name or metadata key given twice is refused, where serde keeps one of the
 *       two silently (which one a reader sees should not depend on the reader); strings holding a lone
 *       UTF-16 surrogate escape ({@code "\ud800"}) are refused as serde_json refuses them, instead of
 *       becoming names no writer can reproduce.
 *   <li>Bounds: names and strings may be as long as the header itself (a 1 MB tensor name is valid),
 *       numbers at most {@link #MAX_NUMBER_DIGITS} digits (a 64-bit value has at most 20), nesting at
 *       most {@link #MAX_DEPTH} levels (the format has 3).
 * </ul>
 */
final class HeaderParser {
    static final String METADATA_KEY = "__metadata__";
    static final int MAX_NUMBER_DIGITS = 32, MAX_DEPTH = 16;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength((int) SafeTensorsFile.MAX_HEADER_BYTES)
                    .maxStringLength((int) SafeTensorsFile.MAX_HEADER_BYTES)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .maxNestingDepth(MAX_DEPTH)
                    .build())
            .build();

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
        } catch (StreamConstraintsException e) {
            // Jackson's limit exceptions carry no location; the rule is what matters.
            throw new SafeTensorsException(file + ": header breaks a size limit: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SafeTensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at " + at.offsetDescription()), e);
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
            String key = checked(p.currentName(), null, "tensor name");
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
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of(); // what the reference writer's Option::None reads back as
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(null, METADATA_KEY + " must be an object of strings, found " + describe(p.currentToken()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = checked(p.currentName(), null, METADATA_KEY + " key");
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw fail(null, METADATA_KEY + " must be an object of strings, but key '" + key
                        + "' has " + describe(p.currentToken()));
            }
            if (out.put(key, checked(p.getText(), null, METADATA_KEY + " value of '" + key + "'")) != null) {
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
                    dtype = checked(p.getText(), name, "dtype");
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
                // Other fields are ignored, as the reference reader ignores them; a nested value is
                // skipped whole (bounded by the nesting limit).
                default -> p.skipChildren();
            }
        }
        if (dtype == null) throw fail(name, "missing field 'dtype'");
        if (shape == null) throw fail(name, "missing field 'shape'");
        if (offsets == null) throw fail(name, "missing field 'data_offsets'");
        if (SafeDType.parse(dtype) == null) {
            throw fail(name, "unknown dtype '" + dtype + "' (known: " + SafeDType.known() + ")");
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

    /**
     * s itself, unless it holds a UTF-16 surrogate without its partner: only a {@code \\uD800}-style
     * escape can produce one (the UTF-8 decoding before parsing refuses encoded surrogates).
     */
    private String checked(String s, String tensor, String what) throws SafeTensorsException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw fail(tensor, what + " holds a lone UTF-16 surrogate \\u" + Integer.toHexString(c).toUpperCase()
                        + " at character " + i + " (not a Unicode string)");
            }
        }
        return s;
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
