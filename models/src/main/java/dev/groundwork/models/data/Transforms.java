package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;

/**
 * The image operations of spec §5.4, on float CHW images. Every random choice comes from the
 * caller's {@link Generator}, so an item's augmentation is a function of its own seed.
 */
public final class Transforms {
    /** ImageNet statistics used by every VG-BERT stage (spec §5.4). */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private Transforms() {}

    /**
     * torchvision Resize(int): the shorter side becomes {@code size}, the longer one
     * {@code int(size * long / short)} (truncated, as torchvision does).
     */
    public static RgbImage resizeShorter(RgbImage img, int size) {
        int h = img.height(), w = img.width();
        if (h <= w) return resize(img, size, (int) ((long) size * w / h));
        return resize(img, (int) ((long) size * h / w), size);
    }

    /**
     * Bilinear resize to outH×outW, antialiased when downscaling. It is separable: each output
     * sample is a normalised triangle-filter average over the input samples whose centres lie
     * within the filter support. The support is 1 input pixel when upscaling (plain bilinear) and
     * widens to the scale factor when downscaling, which is what PIL's antialiased bilinear does,
     * so shrinking a photo averages all the pixels it covers instead of skipping some. The
     * weights sum to one, so a constant image stays constant. PIL rounds to uint8 after each
     * pass; we stay in float, a difference of at most half a grey level.
     */
    public static RgbImage resize(RgbImage img, int outH, int outW) {
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException("resize to " + outH + "x" + outW);
        int h = img.height(), w = img.width();
        if (outH == h && outW == w) return img;
        Filter fx = Filter.of(w, outW), fy = Filter.of(h, outH);
        float[] src = img.data(), tmp = new float[3 * h * outW], dst = new float[3 * outH * outW];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++) {
                int in = (c * h + y) * w, out = (c * h + y) * outW;
                for (int x = 0; x < outW; x++) {
                    double s = 0;
                    for (int k = 0; k < fx.count[x]; k++) s += fx.weights[x][k] * src[in + fx.first[x] + k];
                    tmp[out + x] = (float) s;
                }
            }
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < outH; y++) {
                int out = (c * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    double s = 0;
                    for (int k = 0; k < fy.count[y]; k++) s += fy.weights[y][k] * tmp[(c * h + fy.first[y] + k) * outW + x];
                    dst[out + x] = (float) s;
                }
            }
        return new RgbImage(outH, outW, dst);
    }

    /** Per-output-sample input range and weights along one axis. */
    private record Filter(int[] first, int[] count, double[][] weights) {
        static Filter of(int in, int out) {
            double scale = (double) in / out;
            double stretch = Math.max(scale, 1.0); // filter widening when downscaling
            int[] first = new int[out], count = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale; // output pixel centre in input coordinates
                int lo = Math.max(0, (int) Math.floor(centre - stretch + 0.5));
                int hi = Math.min(in, (int) Math.floor(centre + stretch + 0.5));
                double[] wts = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    double t = Math.abs((j + 0.5 - centre) / stretch);
                    wts[j - lo] = t < 1 ? 1 - t : 0;
                    sum += wts[j - lo];
                }
                for (int k = 0; k < wts.length; k++) wts[k] /= sum;
                first[i] = lo;
                count[i] = wts.length;
                weights[i] = wts;
            }
            return new Filter(first, count, weights);
        }
    }

    /** The top-left offset of a centre crop: round((size − crop)/2), Python's round (half to even) as in torchvision. */
    public static int centreOffset(int size, int crop) {
        return (int) Math.rint((size - crop) / 2.0);
    }

    /** Centre crop to crop×crop; the image must be at least that large (Resize first). */
    public static RgbImage centreCrop(RgbImage img, int crop) {
        if (img.height() < crop || img.width() < crop)
            throw new IllegalArgumentException("image " + img.height() + "x" + img.width() + " smaller than crop " + crop);
        return crop(img, centreOffset(img.height(), crop), centreOffset(img.width(), crop), crop, crop);
    }

    public static RgbImage crop(RgbImage img, int top, int left, int height, int width) {
        int h = img.height(), w = img.width();
        if (top < 0 || left < 0 || top + height > h || left + width > w)
            throw new IllegalArgumentException("crop " + top + "," + left + " " + height + "x" + width + " outside " + h + "x" + w);
        float[] out = new float[3 * height * width];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                System.arraycopy(img.data(), (c * h + top + y) * w + left, out, (c * height + y) * width, width);
        return new RgbImage(height, width, out);
    }

    public static RgbImage hflip(RgbImage img) {
        int h = img.height(), w = img.width();
        float[] src = img.data(), out = new float[src.length];
        for (int r = 0; r < 3 * h; r++)
            for (int x = 0; x < w; x++) out[r * w + x] = src[r * w + w - 1 - x];
        return new RgbImage(h, w, out);
    }

    /** RandomHorizontalFlip(0.5): one draw from rng. */
    public static RgbImage randomHflip(RgbImage img, Generator rng) {
        return rng.nextDouble() < 0.5 ? hflip(img) : img;
    }

    /** (x − mean)/std per channel with the ImageNet statistics. */
    public static RgbImage normalize(RgbImage img) {
        int plane = img.height() * img.width();
        float[] src = img.data(), out = new float[src.length];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++) out[c * plane + i] = (src[c * plane + i] - MEAN[c]) / STD[c];
        return new RgbImage(img.height(), img.width(), out);
    }

    /** A crop window: top, left, height, width. */
    public record Window(int top, int left, int height, int width) {}

    /**
     * torchvision RandomResizedCrop.get_params with scale (0.08, 1) and ratio (3/4, 4/3): up to ten
     * tries of a random area fraction and log-uniform aspect ratio; a try fits if both sides are
     * within the image. If none fits, the fallback is a centred crop of the whole image clamped to
     * the ratio range. Python's round (half to even) is Math.rint.
     */
    public static Window randomResizedCropWindow(int height, int width, Generator rng) {
        double area = (double) height * width;
        double logLo = Math.log(3.0 / 4.0), logHi = Math.log(4.0 / 3.0);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (0.08 + (1.0 - 0.08) * rng.nextDouble());
            double ratio = Math.exp(logLo + (logHi - logLo) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * ratio));
            int h = (int) Math.rint(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new Window(top, left, h, w);
            }
        }
        double inRatio = (double) width / height;
        int w, h;
        if (inRatio < 3.0 / 4.0) {
            w = width;
            h = (int) Math.rint(w / (3.0 / 4.0));
        } else if (inRatio > 4.0 / 3.0) {
            h = height;
            w = (int) Math.rint(h * (4.0 / 3.0));
        } else {
            w = width;
            h = height;
        }
        return new Window((height - h) / 2, (width - w) / 2, h, w);
    }

    /** RandomResizedCrop(size): a random window resized (bilinear, antialiased) to size×size. */
    public static RgbImage randomResizedCrop(RgbImage img, int size, Generator rng) {
        Window win = randomResizedCropWindow(img.height(), img.width(), rng);
        return resize(crop(img, win.top(), win.left(), win.height(), win.width()), size, size);
    }
}
