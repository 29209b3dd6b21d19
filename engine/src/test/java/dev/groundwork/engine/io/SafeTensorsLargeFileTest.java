package dev.groundwork.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets past 2^31 and 2^32, without writing gigabytes: a sparse file whose only real blocks are the
 * header and the two small tensors at the far end. Skipped where the file system cannot make holes.
 */
class SafeTensorsLargeFileTest {
    @TempDir Path dir;

    @Test
    void readsTensorsBeyondTwoAndFourGiB() throws IOException {
        long far = (1L << 31) + 12;   // past every int index
        long farther = (1L << 32) + 4; // past unsigned 32-bit too
        String json = "{\"near\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + far + "," + (far + 12) + "]},"
                + "\"farther\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[" + farther + "," + (farther + 8) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        long fileSize = dataStart + farther + 8;

        Path p = dir.resolve("sparse.safetensors");
        long freeBefore = Files.getFileStore(dir).getUsableSpace();
        assumeTrue(freeBefore > 6L << 30, "needs 6 GiB free in case the file system cannot make sparse files");
        long t0 = System.nanoTime();
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(fileSize);
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        long used = freeBefore - Files.getFileStore(dir).getUsableSpace();
        if (seconds > 5 || used > 1L << 30) {
            Files.delete(p);
            assumeTrue(false, "file system does not create sparse files (took " + seconds + " s, used "
                    + used + " bytes); skipping the > 4 GiB test");
        }

        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(RawFiles.le(8, header.length));
            f.write(header);
            f.write(new byte[] {7, 9});
            f.seek(dataStart + far);
            f.write(RawFiles.le(4, Float.floatToIntBits(1.5f), Float.floatToIntBits(-2f), Float.floatToIntBits(3e-3f)));
            f.seek(dataStart + farther);
            f.write(RawFiles.le(8, 0x1234_5678_9ABC_DEF0L));
        }

        try (SafeTensorsFile st = SafeTensorsFile.open(p)) {
            assertEquals(java.util.List.of("near", "far", "farther"), st.names());
            assertArrayEquals(new long[] {7, 9}, st.readI64("near"));
            assertArrayEquals(new float[] {1.5f, -2f, 3e-3f}, st.readF32("far"));
            assertArrayEquals(new long[] {0x1234_5678_9ABC_DEF0L}, st.readI64("farther"));
            assertEquals(far, st.entry("far").begin());
            assertEquals(8, st.segment("farther").byteSize());
        }
    }
}
