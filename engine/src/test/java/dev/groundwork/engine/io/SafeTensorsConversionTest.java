package dev.groundwork.engine.io;

import static dev.groundwork.engine.io.RawFiles.le;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes built by hand from the IEEE / bfloat16 bit layouts, so the expected values are independent of our code. */
class SafeTensorsConversionTest {
    @TempDir Path dir;

    private SafeTensorsFile one(String dtype, String shape, byte[] data) throws IOException {
        String json = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[0," + data.length + "]}}";
        return SafeTensorsFile.open(RawFiles.write(dir.resolve(dtype + ".safetensors"), json, data));
    }

    @Test
    void f16() throws IOException {
        // 1.0, -2.0, 0.5, max normal 65504, smallest subnormal 2^-24, +inf, -0.0, 0.333 (rounded)
        byte[] d = le(2, 0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00, 0x8000, 0x3555);
        try (SafeTensorsFile f = one("F16", "[2,4]", d)) {
            float[] v = f.readF32("t");
            assertArrayEquals(new float[] {1.0f, -2.0f, 0.5f, 65504.0f, (float) Math.pow(2, -24),
                    Float.POSITIVE_INFINITY, -0.0f, 0.33325195f}, v);
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(v[6]), "sign of zero kept");
        }
        try (SafeTensorsFile f = one("F16", "[1]", le(2, 0x7E00))) {
            assertTrue(Float.isNaN(f.readF32("t")[0]));
        }
    }

    @Test
    void bf16() throws IOException {
        // 1.0, -2.0, 3.140625 (0x4049), 2^-10 (0x3A80), -inf, largest finite 0x7F7F
        byte[] d = le(2, 0x3F80, 0xC000, 0x4049, 0x3A80, 0xFF80, 0x7F7F);
        try (SafeTensorsFile f = one("BF16", "[6]", d)) {
            assertArrayEquals(new float[] {1.0f, -2.0f, 3.140625f, (float) Math.pow(2, -10),
                    Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7F7F0000)}, f.readF32("t"));
        }
    }

    @Test
    void f8E4m3() throws IOException {
        // OCP E4M3 ("fn"): 1.0 = 0.0111.000, max 448 = 0.1111.110, -1.5 = 1.0111.100, smallest subnormal
        // 2^-9 = 0.0000.001, largest subnormal 7 * 2^-9, smallest normal 2^-6 = 0.0001.000, NaN 0.1111.111
        byte[] d = le(1, 0x38, 0x7E, 0xBC, 0x01, 0x07, 0x08, 0x7F);
        try (SafeTensorsFile f = one("F8_E4M3", "[7]", d)) {
            float[] v = f.readF32("t");
            assertArrayEquals(new float[] {1f, 448f, -1.5f, (float) Math.pow(2, -9), 7 * (float) Math.pow(2, -9),
                    (float) Math.pow(2, -6)}, java.util.Arrays.copyOf(v, 6));
            assertTrue(Float.isNaN(v[6]), "S.1111.111 is NaN (E4M3 has no infinities)");
        }
    }

    @Test
    void f8E5m2() throws IOException {
        // E5M2, IEEE-like (bias 15): 1.0 = 0.01111.00, max 57344 = 0.11110.11, -inf = 1.11111.00,
        // smallest subnormal 2^-16 = 0.00000.01, NaN 0.11111.01
        byte[] d = le(1, 0x3C, 0x7B, 0xFC, 0x01, 0x7D);
        try (SafeTensorsFile f = one("F8_E5M2", "[5]", d)) {
            float[] v = f.readF32("t");
            assertArrayEquals(new float[] {1f, 57344f, Float.NEGATIVE_INFINITY, (float) Math.pow(2, -16)}, java.util.Arrays.copyOf(v, 4));
            assertTrue(Float.isNaN(v[4]));
        }
    }

    @Test
    void f64NarrowsToNearestFloat() throws IOException {
        byte[] d = le(8, Double.doubleToRawLongBits(Math.PI), Double.doubleToRawLongBits(-1e-3),
                Double.doubleToRawLongBits(1e300));
        try (SafeTensorsFile f = one("F64", "[3]", d)) {
            assertArrayEquals(new float[] {3.1415927f, -0.001f, Float.POSITIVE_INFINITY}, f.readF32("t"));
        }
    }

    @Test
    void integersWidenToLong() throws IOException {
        try (SafeTensorsFile f = one("I32", "[3]", le(4, -1, Integer.MIN_VALUE, Integer.MAX_VALUE))) {
            assertArrayEquals(new long[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE}, f.readI64("t"));
        }
        try (SafeTensorsFile f = one("I16", "[2]", le(2, -300, 32767))) {
            assertArrayEquals(new long[] {-300, 32767}, f.readI64("t"));
        }
        try (SafeTensorsFile f = one("I8", "[2]", le(1, -128, 127))) {
            assertArrayEquals(new long[] {-128, 127}, f.readI64("t"));
        }
        try (SafeTensorsFile f = one("U8", "[2]", le(1, 255, 1))) {
            assertArrayEquals(new long[] {255, 1}, f.readI64("t"), "U8 is unsigned");
        }
        try (SafeTensorsFile f = one("BOOL", "[3]", le(1, 1, 0, 1))) {
            assertArrayEquals(new long[] {1, 0, 1}, f.readI64("t"));
        }
    }

    @Test
    void wrongFamilyIsRefusedWithClearMessage() throws IOException {
        try (SafeTensorsFile f = one("I32", "[1]", le(4, 5))) {
            var e = assertThrows(IllegalArgumentException.class, () -> f.readF32("t"));
            assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("integer dtype I32")
                    && e.getMessage().contains("readI64"), e.getMessage());
        }
        try (SafeTensorsFile f = one("BF16", "[1]", le(2, 0x3F80))) {
            var e = assertThrows(IllegalArgumentException.class, () -> f.readI64("t"));
            assertTrue(e.getMessage().contains("floating dtype BF16"), e.getMessage());
        }
    }
}
