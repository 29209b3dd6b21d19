package dev.groundwork.models.interbert;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The "+1 pixel" IoU of spec 2.3 on boxes worked out by hand in a 10 x 20 pixel image (1/W = 0.1, 1/H = 0.05). */
class RegionIouTest {
    static final float[] BOXES = {
            0.0f, 0.0f, 0.4f, 0.4f,     // a: 0.5 x 0.45 with the extra pixel
            0.2f, 0.2f, 0.6f, 0.6f,     // b: overlaps a in 0.3 x 0.25
            0.4f, 0.0f, 0.8f, 0.4f,     // c: touches a's right edge: shares one pixel column
            0.9f, 0.9f, 1.0f, 1.0f,     // d: disjoint from a
            0.0f, 0.0f, 0.0f, 0.0f,     // two padding rows
            0.0f, 0.0f, 0.0f, 0.0f};

    @Test
    void overlapsFollowTheOnePixelConvention() {
        double[] iou = RegionIou.matrix(BOXES, 6, 4, 10, 20);
        double area = 0.5 * 0.45;
        assertEquals(0.3 * 0.25 / (2 * area - 0.3 * 0.25), iou[1], 1e-6);      // a, b
        assertEquals(0.1 * 0.45 / (2 * area - 0.1 * 0.45), iou[2], 1e-6);      // a, c: one pixel column in common
        assertEquals(0, iou[3]);                                                // a, d
        assertEquals(1, iou[0], 1e-12);
        assertEquals(1, iou[4 * 6 + 5], 1e-12, "padding rows are one-pixel boxes at the origin and overlap fully");
        assertEquals(0.1 * 0.05 / (area + 0.1 * 0.05 - 0.1 * 0.05), iou[4], 1e-6, "a padding box inside a");
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) assertEquals(iou[i * 6 + j], iou[j * 6 + i], 1e-15);
    }

    @Test
    void anAreaColumnIsIgnoredAndTensorsWork() {
        float[] five = new float[6 * 5];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(BOXES, i * 4, five, i * 5, 4);
            five[i * 5 + 4] = 0.7f;
        }
        double[] expected = RegionIou.matrix(BOXES, 6, 4, 10, 20);
        assertArrayEquals(expected, RegionIou.matrix(five, 6, 5, 10, 20), 0);
        float[] t = RegionIou.matrix(Tensor.of(five, 6, 5), 10, 20).toFloatArray();
        for (int i = 0; i < t.length; i++) assertEquals(expected[i], t[i], 1e-7);
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RegionIou.matrix(new float[9], 3, 3, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> RegionIou.matrix(new float[8], 3, 4, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> RegionIou.matrix(BOXES, 6, 4, 0, 10));
    }
}
