package dev.groundwork.models.interbert;

import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The box overlap that groups regions for masked region modeling (spec 2.3, 8.7): boxes in normalised
 * coordinates with the detector's "+1 pixel" convention carried over, i.e. widths x2 − x1 + 1/W,
 * heights y2 − y1 + 1/H, the intersection's sides min(x2) − max(x1) + 1/W (and likewise in y) clipped
 * at 0, IoU = inter / (area_a + area_b − inter). All-zero padding boxes are still 1/W × 1/H pixels, so
 * two of them overlap fully, as in the original. Data preparation only: no gradients. Computed in
 * double (the original works in float32; only a pair within float32 rounding of the 0.4 threshold
 * could be grouped differently).
 */
public final class RegionIou {
    private RegionIou() {}

    /**
     * @param boxes       row-major [n, columns], columns >= 4, each row starting x1, y1, x2, y2 (normalised);
     *                    a fifth area column, as the image locations carry, is ignored
     * @param imageWidth  W in pixels, @param imageHeight H in pixels
     * @return iou[i * n + j]
     */
    public static double[] matrix(float[] boxes, int n, int columns, double imageWidth, double imageHeight) {
        if (columns < 4) throw new IllegalArgumentException("region boxes need at least 4 columns (x1, y1, x2, y2), got " + columns);
        if (boxes.length != n * columns) throw new IllegalArgumentException(boxes.length + " values are not " + n + " boxes of " + columns);
        if (!(imageWidth > 0 && imageHeight > 0))
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + " x " + imageHeight);
        double px = 1 / imageWidth, py = 1 / imageHeight;
        double[] area = new double[n];
        for (int i = 0; i < n; i++) {
            int o = i * columns;
            area[i] = (boxes[o + 2] - boxes[o] + px) * (boxes[o + 3] - boxes[o + 1] + py);
        }
        double[] iou = new double[n * n];
        for (int i = 0; i < n; i++) {
            int a = i * columns;
            for (int j = 0; j < n; j++) {
                int b = j * columns;
                double iw = Math.max(0, Math.min(boxes[a + 2], boxes[b + 2]) - Math.max(boxes[a], boxes[b]) + px);
                double ih = Math.max(0, Math.min(boxes[a + 3], boxes[b + 3]) - Math.max(boxes[a + 1], boxes[b + 1]) + py);
                double inter = iw * ih;
                iou[i * n + j] = inter / (area[i] + area[j] - inter);
            }
        }
        return iou;
    }

    /** boxes [N, 4 or 5] (any device) to the float32 [N, N] matrix on the CPU. */
    public static Tensor matrix(Tensor boxes, double imageWidth, double imageHeight) {
        if (boxes.dim() != 2) throw new IllegalArgumentException("region boxes must be [N, 4 or 5], got " + Shape.str(boxes.shape()));
        int n = boxes.size(0);
        double[] iou = matrix(boxes.toFloatArray(), n, boxes.size(1), imageWidth, imageHeight);
        float[] out = new float[iou.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) iou[i];
        return Tensor.of(out, n, n);
    }
}
