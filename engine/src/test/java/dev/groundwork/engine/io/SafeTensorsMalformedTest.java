package dev.groundwork.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of the format, broken once, is refused with a message naming the tensor and the rule. */
class SafeTensorsMalformedTest {
    @TempDir Path dir;

    private Path file(String header, int dataBytes) throws IOException {
        return raw(header.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8).length, dataBytes);
    }

    private Path raw(byte[] header, long declaredLength, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header);
        for (int i = 0; i < dataBytes; i++) b.put((byte) (i * 7 + 1));
        Path p = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private void refused(Path p, String... fragments) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensorsFile.open(p).close());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
    }

    @Test void tooShort() throws IOException {
        Path p = dir.resolve("short.safetensors");
        Files.write(p, new byte[]{1, 2, 3});
        refused(p, "shorter than the 8-byte header length");
    }

    @Test void headerLengthOverBoundOrPastEnd() throws IOException {
        refused(raw("{}".getBytes(), SafeTensorsFile.MAX_HEADER + 1, 0), "exceeds");
        refused(raw("{}".getBytes(), 4096, 0), "runs past the end");
    }

    @Test void notUtf8OrNotJsonOrNotObject() throws IOException {
        refused(raw(new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'}, 4, 0), "not valid UTF-8");
        refused(file("{\"a\": {\"dtype\": \"F32\",", 0), "not well-formed JSON");
        refused(file("[1, 2]", 0), "not a JSON object");
    }

    @Test void badEntries() throws IOException {
        refused(file("{\"w\": 5}", 0), "'w'", "not a JSON object");
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4), "'w'", "must have dtype, shape and data_offsets");
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"x\": 1}}", 4), "'w'", "unknown field 'x'");
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4), "'w'", "non-negative integers");
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4), "'w'", "non-negative integers");
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4), "'w'", "data_offsets must be");
    }

    @Test void unknownDtype() throws IOException {
        refused(file("{\"w\": {\"dtype\": \"F31\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "'w'", "unknown dtype 'F31'");
    }

    @Test void sizeMismatch() throws IOException {
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 20]}}", 24), "'w'", "does not match shape [2,3] x F32 (24 bytes)");
    }

    @Test void rangeOutsideBufferOrReversed() throws IOException {
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 8), "'w'", "run past the 8-byte data buffer");
        refused(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 4]}}", 8), "'w'", "begin <= end");
    }

    @Test void overlappingRanges() throws IOException {
        refused(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12), "'b'", "overlaps tensor 'a'");
    }

    @Test void duplicateNames() throws IOException {
        refused(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8), "duplicate tensor name", "'a'");
    }

    @Test void badMetadata() throws IOException {
        refused(file("{\"__metadata__\": {\"k\": 3}}", 0), "__metadata__ value of 'k' is not a string");
        refused(file("{\"__metadata__\": [1]}", 0), "__metadata__ must be an object");
    }
}
