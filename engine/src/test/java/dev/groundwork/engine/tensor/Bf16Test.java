package dev.groundwork.engine.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class Bf16Test {
    @Test
    void roundsToNearestWithTiesToEven() {
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        assertEquals(1f, Bf16.round(1f + 0x1p-8f));
        // 1 + 3*2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): up.
        assertEquals(1f + 0x1p-6f, Bf16.round(1f + 3 * 0x1p-8f));
        // Just above a tie rounds up.
        assertEquals(1f + 0x1p-7f, Bf16.round(Math.nextUp(1f + 0x1p-8f)));
        assertEquals((short) 0x3f80, Bf16.bits(1f));
        assertEquals((short) 0xbf80, Bf16.bits(-1f));
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.MAX_VALUE), "overflow rounds to infinity");
        assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
        assertTrue(Float.isNaN(Bf16.value(Bf16.bits(Float.intBitsToFloat(0x7f800001)))), "a NaN whose payload is below bit 16 stays NaN");
    }

    @Test
    void roundingIsWithinHalfAnUlpAndIdempotent() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) ((r.nextDouble() * 2 - 1) * Math.pow(2, r.nextInt(-30, 30)));
            float y = Bf16.round(x);
            // 8 significant bits: the rounding error is at most half an ulp, 2^-8 of |x| (normal range).
            assertTrue(Math.abs(y - (double) x) <= Math.abs(x) * 0x1p-8, () -> x + " -> " + y);
            assertEquals(y, Bf16.round(y));
            assertEquals(0, Float.floatToRawIntBits(y) & 0xffff);
        }
    }

    @Test
    void roundsEveryElementOfATensor() {
        Tensor t = Tensor.of(new float[]{0.1f, -3.14159f, 1e-20f, 65504f, 1f + 0x1p-8f, 2.5f}, 2, 3);
        Tensor r = Bf16.round(t);
        assertArrayEquals(new int[]{2, 3}, r.shape());
        float[] a = t.toFloatArray(), b = r.toFloatArray();
        short[] bits = Bf16.bits(t);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Bf16.round(a[i]), b[i]);
            assertEquals(b[i], Bf16.value(bits[i]));
        }
        assertNotEquals(a[0], b[0], "0.1 is not a bf16 value");
    }
}
