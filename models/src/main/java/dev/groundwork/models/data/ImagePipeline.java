package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;

/**
 * Decoded image → network input. The presets follow the table of spec §5.4 with the crop size as
 * a parameter (224 in the paper; demos use small images):
 * <pre>
 *   stage 1 train           train(crop)                 RandomResizedCrop + h-flip
 *   stage 1 val, stage 2    eval(crop * 256/224, crop)  Resize 256 → CenterCrop 224
 *   stage 3, notebook       eval(crop, crop)            Resize 224 → CenterCrop 224
 *   transfer train / val    eval(crop, crop) / eval(crop * 256/224, crop)
 * </pre>
 * All end with ImageNet normalisation.
 */
@FunctionalInterface
public interface ImagePipeline {
    RgbImage apply(RgbImage decoded, Generator rng);

    /** Resize the shorter side to {@code resize}, centre-crop {@code crop}, normalise. Uses no randomness. */
    static ImagePipeline eval(int resize, int crop) {
        if (resize < crop) throw new IllegalArgumentException("resize " + resize + " < crop " + crop);
        return (img, rng) -> Transforms.normalize(Transforms.centreCrop(Transforms.resizeShorter(img, resize), crop));
    }

    /** Stage-1 training augmentation: RandomResizedCrop(crop), horizontal flip p=0.5, normalise. */
    static ImagePipeline train(int crop) {
        return (img, rng) -> Transforms.normalize(Transforms.randomHflip(Transforms.randomResizedCrop(img, crop, rng), rng));
    }

    /** The "Resize 256 for a 224 crop" size, scaled to other crop sizes: round(crop·256/224). */
    static int resizeFor256(int crop) {
        return (int) Math.round(crop * 256.0 / 224.0);
    }
}
