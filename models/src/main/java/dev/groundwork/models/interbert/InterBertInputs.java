package dev.groundwork.models.interbert;

import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * One batch of image-text pairs as every InterBERT task feeds it (spec 2.1, 4.2, 4.3). The joint mask
 * over [image ; text] is not an input: every dataset of the original builds it as image_mask ++
 * input_mask, so the model concatenates the two itself.
 *
 * @param inputIds     [B, L] word-piece ids
 * @param tokenTypeIds [B, L] segment ids, or null for all 0 (captions)
 * @param inputMask    [B, L] 1 real token, 0 padding
 * @param imageFeat    [B, R, F] region features, row 0 the global image token
 * @param imageLoc     [B, R, 5] normalised boxes, row 0 [0, 0, 1, 1, 1]
 * @param imageMask    [B, R] 1 real region (the global token included), 0 padding
 */
public record InterBertInputs(Tensor inputIds, Tensor tokenTypeIds, Tensor inputMask,
                              Tensor imageFeat, Tensor imageLoc, Tensor imageMask) {
    public InterBertInputs {
        require("input_ids", inputIds, 2);
        require("input_mask", inputMask, 2);
        require("image_feat", imageFeat, 3);
        require("image_loc", imageLoc, 3);
        require("image_mask", imageMask, 2);
        int b = inputIds.size(0), l = inputIds.size(1), r = imageFeat.size(1);
        same("input_mask", inputMask, b, l);
        if (tokenTypeIds != null) same("token_type_ids", tokenTypeIds, b, l);
        same("image_loc", imageLoc, b, r, ImageEmbeddings.LOCATION_DIMS);
        same("image_mask", imageMask, b, r);
        if (imageFeat.size(0) != b) throw new IllegalArgumentException("image_feat has batch " + imageFeat.size(0) + ", input_ids " + b);
        if (r == 0) throw new IllegalArgumentException("image_feat has no regions: row 0 must hold the global image token");
        if (l == 0) throw new IllegalArgumentException("input_ids has no tokens: position 0 must hold [CLS]");
    }

    public int batch() { return inputIds.size(0); }

    public int regions() { return imageFeat.size(1); }

    private static void require(String name, Tensor t, int rank) {
        if (t == null) throw new IllegalArgumentException(name + " is required");
        if (t.dim() != rank) throw new IllegalArgumentException(name + " must have rank " + rank + ", got " + Shape.str(t.shape()));
    }

    private static void same(String name, Tensor t, int... shape) {
        if (!java.util.Arrays.equals(t.shape(), shape))
            throw new IllegalArgumentException(name + " has shape " + Shape.str(t.shape()) + ", expected " + Shape.str(shape));
    }
}
