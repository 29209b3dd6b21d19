package dev.groundwork.models.data;

/**
 * An RGB image as float planes, CHW order: {@code data[c*height*width + y*width + x]}. Values are in
 * [0,1] after decoding and arbitrary after normalisation.
 */
public record RgbImage(int height, int width, float[] data) {
    public RgbImage {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("empty image " + height + "x" + width);
        if (data.length != 3 * height * width)
            throw new IllegalArgumentException("data has " + data.length + " values, want 3*" + height + "*" + width);
    }

    public static RgbImage blank(int height, int width) {
        return new RgbImage(height, width, new float[3 * height * width]);
    }

    public float get(int c, int y, int x) { return data[(c * height + y) * width + x]; }
}
