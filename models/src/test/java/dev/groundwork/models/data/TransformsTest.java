package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TransformsTest {
    /** Channel c, pixel (y,x) = c*100 + y*10 + x. */
    static RgbImage ramp(int h, int w) {
        float[] d = new float[3 * h * w];
        for (int c = 0; c < 3; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) d[(c * h + y) * w + x] = c * 100 + y * 10 + x;
        return new RgbImage(h, w, d);
    }

    @Test
    void centreOffsetsRoundHalfToEven() {
        assertEquals(16, Transforms.centreOffset(256, 224));
        assertEquals(0, Transforms.centreOffset(224, 224));
        assertEquals(2, Transforms.centreOffset(5, 2));   // 1.5 -> 2
        assertEquals(2, Transforms.centreOffset(7, 2));   // 2.5 -> 2
        assertEquals(4, Transforms.centreOffset(11, 2));  // 4.5 -> 4
    }

    @Test
    void centreCropTakesTheMiddle() {
        RgbImage c = Transforms.centreCrop(ramp(6, 8), 4);
        assertEquals(4, c.height());
        assertEquals(1 * 10 + 2, c.get(0, 0, 0)); // top 1, left 2
        assertEquals(200 + 4 * 10 + 5, c.get(2, 3, 3));
    }

    @Test
    void flipMirrorsColumns() {
        RgbImage f = Transforms.hflip(ramp(2, 3));
        assertEquals(2, f.get(0, 0, 0));
        assertEquals(0, f.get(0, 0, 2));
        assertEquals(100 + 10 + 1, f.get(1, 1, 1));
    }

    @Test
    void normaliseUsesImageNetStatistics() {
        RgbImage one = new RgbImage(1, 1, new float[]{1f, 0.5f, 0f});
        RgbImage n = Transforms.normalize(one);
        assertEquals((1 - 0.485f) / 0.229f, n.get(0, 0, 0), 1e-6);
        assertEquals((0.5f - 0.456f) / 0.224f, n.get(1, 0, 0), 1e-6);
        assertEquals((0 - 0.406f) / 0.225f, n.get(2, 0, 0), 1e-6);
    }

    @Test
    void resizeOfAConstantImageStaysConstant() {
        float[] d = new float[3 * 37 * 53];
        java.util.Arrays.fill(d, 0.3f);
        for (int[] s : new int[][]{{10, 14}, {80, 120}, {37, 5}}) {
            RgbImage r = Transforms.resize(new RgbImage(37, 53, d), s[0], s[1]);
            for (float v : r.data()) assertEquals(0.3f, v, 1e-6);
        }
    }

    @Test
    void resizeShorterSideKeepsAspectTruncating() {
        RgbImage r = Transforms.resizeShorter(ramp(30, 45), 20);
        assertEquals(20, r.height());
        assertEquals(30, r.width());
        RgbImage t = Transforms.resizeShorter(ramp(45, 31), 20);
        assertEquals(20, t.width());
        assertEquals(29, t.height()); // int(20*45/31) = int(29.03)
    }

    @Test
    void halvingAveragesPixelPairs() {
        // 2x downscale with the widened triangle filter: weights 1/8,3/8,3/8,1/8 over four inputs.
        RgbImage r = Transforms.resize(ramp(1, 8), 1, 4);
        // Output 1 is centred at input coordinate 3.0 and covers inputs 1..4 (values 1..4).
        assertEquals(0.125 * 1 + 0.375 * 2 + 0.375 * 3 + 0.125 * 4, r.get(0, 0, 1), 1e-5);
    }

    @Test
    void upscalingIsPlainBilinear() {
        RgbImage r = Transforms.resize(new RgbImage(1, 2, new float[]{0, 1, 0, 1, 0, 1}), 1, 4);
        assertArrayEquals(new float[]{0f, 0.25f, 0.75f, 1f}, java.util.Arrays.copyOf(r.data(), 4), 1e-6f);
    }

    @Test
    void randomResizedCropIsSizedAndDeterministic() {
        RgbImage img = ramp(40, 60);
        RgbImage a = Transforms.randomResizedCrop(img, 16, new Generator(7));
        RgbImage b = Transforms.randomResizedCrop(img, 16, new Generator(7));
        assertEquals(16, a.height());
        assertEquals(16, a.width());
        assertArrayEquals(a.data(), b.data());
        boolean differs = false;
        for (long s = 1; s < 10 && !differs; s++)
            differs = !java.util.Arrays.equals(a.data(), Transforms.randomResizedCrop(img, 16, new Generator(s)).data());
        assertTrue(differs);
    }

    @Test
    void randomResizedCropWindowsAreInsideAndInRange() {
        for (long s = 0; s < 200; s++) {
            Transforms.Window w = Transforms.randomResizedCropWindow(40, 60, new Generator(s));
            assertTrue(w.top() >= 0 && w.left() >= 0 && w.top() + w.height() <= 40 && w.left() + w.width() <= 60, w.toString());
        }
        // A 1x100 strip never fits a try within the ratio range: fallback clamps the ratio to 4/3, centred.
        Transforms.Window f = Transforms.randomResizedCropWindow(1, 100, new Generator(3));
        assertEquals(new Transforms.Window(0, (100 - 1) / 2, 1, 1), f);
    }

    @Test
    void trainPipelineFlipsAboutHalfTheTime() {
        RgbImage img = ramp(8, 8);
        int flips = 0;
        for (long s = 0; s < 400; s++) {
            Generator g = new Generator(s);
            Transforms.randomResizedCropWindow(8, 8, g);
            if (g.nextDouble() < 0.5) flips++;
        }
        assertTrue(flips > 150 && flips < 250, "flips " + flips);
        assertEquals(8, ImagePipeline.train(8).apply(img, new Generator(1)).height());
    }
}
