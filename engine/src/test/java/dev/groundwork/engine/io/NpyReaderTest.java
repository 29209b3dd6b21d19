package dev.groundwork.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** numpy's own files (resources/npy, made by make_fixtures.py) read back, the refusals, and our writer's round trip. */
class NpyReaderTest {
    static Path fixture(String name) {
        try {
            return Path.of(NpyReaderTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsNumpysUnicodeFloatAndIntArrays() throws IOException {
        NpyArray w = NpyReader.read(fixture("words_U7.npy"));
        assertEquals("<U7", w.descr());
        assertArrayEquals(new String[]{"zebra", "café", "striped", "a", "日本"}, w.strings());
        assertArrayEquals(new double[]{1.5, 2.25, -3.0, 4.875}, NpyReader.read(fixture("concreteness_f8.npy")).doubles());
        assertArrayEquals(new long[]{-1, 0, 37054, 1L << 40}, NpyReader.read(fixture("index_i8.npy")).longs());
        NpyArray m = NpyReader.read(fixture("matrix_f4.npy"));
        assertArrayEquals(new int[]{3, 4}, m.shape());
        assertEquals(2.75f, m.floats()[11]);
        assertArrayEquals(new float[]{-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, NpyReader.read(fixture("matrix_be_f4.npy")).floats());
        assertArrayEquals(new long[]{1, -2, 3, 4}, NpyReader.read(fixture("ints_i4.npy")).longs());
        NpyArray s = NpyReader.read(fixture("scalar_f8.npy"));
        assertEquals(0, s.shape().length);
        assertArrayEquals(new double[]{7.5}, s.doubles());
        assertArrayEquals(new String[]{"x", "yz"}, NpyReader.read(fixture("words_v2.npy")).strings());
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource({
            "objects.npy, pickled object array",
            "complex_c16.npy, dtype '<c16' is not supported",
            "bool_b1.npy, dtype '|b1' is not supported",
            "structured.npy, structured dtype",
            "fortran_f8.npy, Fortran-ordered",
            "truncated_f8.npy, but the file holds 29",
            "trailing_f8.npy, but the file holds 40"})
    void refusesWithTheFileAndTheRule(String name, String rule) {
        Path f = fixture(name);
        NpyException e = assertThrows(NpyException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void asksForTheRightKind() throws IOException {
        NpyArray w = NpyReader.read(fixture("words_U7.npy"));
        NpyException e = assertThrows(NpyException.class, w::doubles);
        assertTrue(e.getMessage().contains("words_U7.npy") && e.getMessage().contains("<U7"), e.getMessage());
        assertThrows(NpyException.class, () -> NpyReader.read(fixture("concreteness_f8.npy")).strings());
        assertThrows(NpyException.class, () -> NpyReader.read(fixture("concreteness_f8.npy")).longs());
        assertThrows(NpyException.class, () -> NpyReader.read(fixture("matrix_f4.npy")).requireRank(1));
    }

    @Test
    void hostileHeadersAreRefusedBeforeAnyAllocation(@TempDir Path dir) throws IOException {
        assertRefused(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }", "overflows");
        assertRefused(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (3000000000,), }", "too large");
        assertRefused(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", "neither a string");
        assertRefused(dir, "{'descr': '<f8', 'shape': (2,), }", "header keys");
        assertRefused(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } junk", "text after");
        assertRefused(dir, "{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2,), }", "escape");
        assertRefused(dir, "{'descr': '<U0', 'fortran_order': False, 'shape': (2,), }", "unicode width");
        assertRefused(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,", "ends early");
        Files.write(dir.resolve("magic.npy"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThrows(NpyException.class, () -> NpyReader.read(dir.resolve("magic.npy")));
        assertThrows(NpyException.class, () -> NpyReader.read(dir.resolve("absent.npy")));
    }

    private static void assertRefused(Path dir, String header, String rule) throws IOException {
        byte[] h = (header + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] file = new byte[10 + h.length + 16];
        System.arraycopy(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)}, 0, file, 0, 10);
        System.arraycopy(h, 0, file, 10, h.length);
        Path f = dir.resolve("hostile.npy");
        Files.write(f, file);
        NpyException e = assertThrows(NpyException.class, () -> NpyReader.read(f), header);
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void writerRoundTripsFreshRandomArrays(@TempDir Path dir) throws IOException {
        Random r = new Random();
        int rows = 1 + r.nextInt(40), cols = 1 + r.nextInt(30);
        float[] f = new float[rows * cols];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        NpyWriter.writeFloats(dir.resolve("e.npy"), f, rows, cols);
        NpyArray back = NpyReader.read(dir.resolve("e.npy"));
        assertArrayEquals(new int[]{rows, cols}, back.shape());
        assertArrayEquals(f, back.floats());
        long[] l = r.longs(rows, Long.MIN_VALUE, Long.MAX_VALUE).toArray();
        NpyWriter.writeLongs(dir.resolve("l.npy"), l, rows);
        assertArrayEquals(l, NpyReader.read(dir.resolve("l.npy")).longs());
        double[] dd = r.doubles(rows * 2L).toArray();
        NpyWriter.writeDoubles(dir.resolve("d.npy"), dd, rows, 2);
        assertArrayEquals(dd, NpyReader.read(dir.resolve("d.npy")).doubles());
        NpyWriter.writeStrings(dir.resolve("s2.npy"), new String[]{"a", "bb", "ccc", "d"}, 2, 2);
        assertArrayEquals(new int[]{2, 2}, NpyReader.read(dir.resolve("s2.npy")).shape());
        String[] s = {"zebra", "", "striped horse", "日本語", "\uD83D\uDE00 emoji"};
        NpyWriter.writeStrings(dir.resolve("s.npy"), s);
        assertArrayEquals(s, NpyReader.read(dir.resolve("s.npy")).strings());
        // The header is padded so the data starts on a 64-byte boundary, as numpy writes it.
        long size = Files.size(dir.resolve("e.npy"));
        assertEquals(0, (size - 4L * rows * cols) % 64);
    }
}
