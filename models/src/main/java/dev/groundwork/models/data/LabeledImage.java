package dev.groundwork.models.data;

/** One image with a class label (ImageFolder) or, for retrieval sets, its image number. */
public record LabeledImage(int index, RgbImage image, int label) {}
