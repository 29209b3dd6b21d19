package dev.groundwork.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule checked at open; each asserts the message names the file, the tensor and the rule. */
class SafeTensorsMalformedTest {
    @TempDir Path dir;

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /** Opens a file with this header and data, expecting failure; checks the message parts. */
    private void refused(String json, int dataBytes, String... mustContain) throws IOException {
        Path p = RawFiles.write(dir.resolve("bad.safetensors"), json, new byte[dataBytes]);
        refused(p, mustContain);
    }

    private static void refused(Path p, String... mustContain) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensorsFile.open(p).close());
        String m = e.getMessage();
        assertTrue(m.contains(p.toString()), "names the file: " + m);
        for (String s : mustContain) {
            assertTrue(m.contains(s), "expected '" + s + "' in: " + m);
        }
    }

    @Test
    void shorterThanLengthPrefix() throws IOException {
        Path p = dir.resolve("short.safetensors");
        Files.write(p, new byte[] {1, 0, 0});
        refused(p, "3 bytes", "shorter than the 8-byte header length prefix");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = Files.createFile(dir.resolve("empty.safetensors"));
        refused(p, "0 bytes", "shorter than");
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        Path p = RawFiles.writeWithLength(dir.resolve("bad.safetensors"), 50, h, new byte[0]);
        refused(p, "header length 50", "larger than the 2 bytes");
    }

    @Test
    void headerLengthOverBound() throws IOException {
        Path p = RawFiles.writeWithLength(dir.resolve("bad.safetensors"), 100_000_001L, "{}".getBytes(), new byte[0]);
        refused(p, "header length 100000001", "exceeds the limit of 100000000");
    }

    @Test
    void headerLengthAboveSignedRangeIsTreatedAsUnsigned() throws IOException {
        Path p = RawFiles.writeWithLength(dir.resolve("bad.safetensors"), -1L, "{}".getBytes(), new byte[0]);
        refused(p, "header length 18446744073709551615", "exceeds the limit");
    }

    @Test
    void invalidUtf8() throws IOException {
        byte[] h = "{\"a?\":{}}".getBytes(StandardCharsets.US_ASCII);
        h[3] = (byte) 0xFF; // the '?': 0xFF never occurs in UTF-8
        refused(RawFiles.write(dir.resolve("bad.safetensors"), h, new byte[0]), "not valid UTF-8");
    }

    @Test
    void invalidJson() throws IOException {
        refused("{\"a\": {\"dtype\": \"F32\",", 0, "not valid JSON");
    }

    @Test
    void headerNotAnObject() throws IOException {
        refused("[1, 2]", 0, "header must be a JSON object", "an array");
    }

    @Test
    void trailingGarbageAfterObject() throws IOException {
        refused("{} {}", 0, "unexpected content after the header's JSON object");
    }

    @Test
    void entryNotAnObject() throws IOException {
        refused("{\"w\": 3}", 0, "tensor 'w'", "entry must be an object", "an integer");
    }

    @Test
    void missingField() throws IOException {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'w'", "missing field 'data_offsets'");
    }

    @Test
    void extraFieldsAreIgnoredAsTheReferenceReaderIgnoresThem() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1],\"note\":{\"a\":[1,{}]}}}";
        Path p = RawFiles.write(dir.resolve("extra.safetensors"), json, new byte[] {0, 0, (byte) 0x80, 0x3F});
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertArrayEquals(new float[] {1f}, f.readF32("w"));
        }
    }

    @Test
    void metadataNullMeansNone() throws IOException {
        Path p = RawFiles.write(dir.resolve("null-meta.safetensors"), "{\"__metadata__\":null," + entry("w", "U8", "[1]", 0, 1) + "}", new byte[] {7});
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertTrue(f.metadata().isEmpty());
            assertArrayEquals(new long[] {7}, f.readI64("w"));
        }
    }

    @Test
    void loneSurrogateInANameOrMetadataIsRefused() throws IOException {
        refused("{" + entry("w\\ud800x", "U8", "[1]", 0, 1) + "}", 1, "tensor name holds a lone UTF-16 surrogate \\uD800");
        refused("{\"__metadata__\":{\"k\":\"\\udc00\"}}", 0, "__metadata__ value of 'k' holds a lone UTF-16 surrogate");
        // A proper pair (U+1F600) is a valid name.
        Path ok = RawFiles.write(dir.resolve("pair.safetensors"), "{" + entry("w\\ud83d\\ude00", "U8", "[1]", 0, 1) + "}", new byte[] {1});
        try (SafeTensorsFile f = SafeTensorsFile.open(ok)) {
            assertEquals(List.of("w\uD83D\uDE00"), f.names());
        }
    }

    @Test
    void aNumberWithAbsurdlyManyDigitsIsRefusedWithTheRule() throws IOException {
        refused("{" + entry("w", "F32", "[" + "9".repeat(100_000) + "]", 0, 4) + "}", 4, "header breaks a size limit", "Number value length");
    }

    @Test
    void aOneMegabyteTensorNameIsValid() throws IOException {
        String name = "n".repeat(1 << 20);
        Path p = RawFiles.write(dir.resolve("long-name.safetensors"), "{" + entry(name, "U8", "[1]", 0, 1) + "}", new byte[] {3});
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertArrayEquals(new long[] {3}, f.readI64(name));
        }
    }

    @Test
    void deepNestingInAnIgnoredFieldIsBounded() throws IOException {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":" + deep + "}}", 1, "header breaks a size limit", "nesting depth");
    }

    @Test
    void aFileTruncatedAfterOpeningIsOurExceptionNamingIt() throws IOException {
        Path p = RawFiles.write(dir.resolve("cut.safetensors"), "{" + entry("a", "F32", "[1024]", 0, 4096) + "}", new byte[4096]);
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(100);
            }
            SafeTensorsReadException e = assertThrows(SafeTensorsReadException.class, () -> f.readF32("a"));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("tensor 'a'")
                    && e.getMessage().contains("truncated to 100 bytes"), e.getMessage());
        }
    }

    @Test
    void duplicateFieldInEntry() throws IOException {
        refused("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                "tensor 'w'", "duplicate field 'dtype'");
    }

    @Test
    void nonIntegerShape() throws IOException {
        refused("{" + entry("w", "F32", "[2.5]", 0, 8) + "}", 8, "tensor 'w'", "field 'shape' must contain only integers");
    }

    @Test
    void shapeNotAnArray() throws IOException {
        refused("{" + entry("w", "F32", "\"2\"", 0, 8) + "}", 8, "tensor 'w'", "field 'shape' must be an array");
    }

    @Test
    void nonIntegerOffsets() throws IOException {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}", 4,
                "tensor 'w'", "field 'data_offsets' must contain only integers");
    }

    @Test
    void offsetsWrongArity() throws IOException {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8,
                "tensor 'w'", "must be [begin, end]");
    }

    @Test
    void hugeIntegerInShape() throws IOException {
        refused("{" + entry("w", "F32", "[99999999999999999999]", 0, 4) + "}", 4, "tensor 'w'", "too large for 64 bits");
    }

    @Test
    void negativeDimension() throws IOException {
        refused("{" + entry("w", "F32", "[2,-1]", 0, 8) + "}", 8, "tensor 'w'", "negative dimension");
    }

    @Test
    void negativeOffset() throws IOException {
        refused("{" + entry("w", "F32", "[1]", -4, 0) + "}", 4, "tensor 'w'", "'data_offsets' must not be negative");
    }

    @Test
    void unknownDtype() throws IOException {
        refused("{" + entry("w", "C64", "[1]", 0, 8) + "}", 8, "tensor 'w'", "unknown dtype 'C64'", "F8_E4M3");
    }

    @Test
    void dtypeNotAString() throws IOException {
        refused("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w'", "'dtype' must be a string");
    }

    @Test
    void lengthDoesNotMatchShape() throws IOException {
        refused("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", 24, "tensor 'w'", "data length 20 bytes does not match",
                "[2, 3] x F32 = 24 bytes");
    }

    @Test
    void shapeProductOverflows() throws IOException {
        refused("{" + entry("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4, "tensor 'w'", "more bytes than fit in 64 bits");
    }

    @Test
    void rangeOutsideDataBuffer() throws IOException {
        refused("{" + entry("w", "F32", "[2]", 4, 12) + "}", 8, "tensor 'w'", "outside the data buffer of 8 bytes");
    }

    @Test
    void beginAfterEnd() throws IOException {
        refused("{" + entry("w", "F32", "[1]", 8, 4) + "}", 8, "tensor 'w'", "begin 8 > end 4");
    }

    @Test
    void overlappingRanges() throws IOException {
        String json = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}";
        refused(json, 12, "tensor 'b'", "overlaps tensor 'a'");
    }

    @Test
    void rangeNestedInsideAnotherOverlaps() throws IOException {
        // c lies inside a, after b: only tracking the furthest-reaching range catches this
        String json = "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "U8", "[1]", 1, 2) + ","
                + entry("c", "U8", "[1]", 8, 9) + "}";
        refused(json, 16, "overlaps tensor 'a'");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String json = "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}";
        refused(json, 8, "tensor 'w'", "duplicate key");
    }

    @Test
    void metadataNotAnObject() throws IOException {
        refused("{\"__metadata__\":[\"a\"]}", 0, "__metadata__ must be an object of strings", "an array");
    }

    @Test
    void metadataValueNotAString() throws IOException {
        refused("{\"__metadata__\":{\"epoch\":3}}", 0, "__metadata__ must be an object of strings", "key 'epoch'");
    }

    @Test
    void gapsBetweenTensorsAreAllowed() throws IOException {
        // Not a violation: documented leniency (the reference implementation would refuse it).
        String json = "{" + entry("a", "U8", "[1]", 0, 1) + "," + entry("b", "U8", "[1]", 5, 6) + "}";
        Path p = RawFiles.write(dir.resolve("gap.safetensors"), json, new byte[] {9, 0, 0, 0, 0, 8, 0});
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {8}, f.readI64("b"));
        }
    }
}
