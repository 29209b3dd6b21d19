package dev.groundwork.models.data;

/**
 * One Visual Genome image with its first {@code objects} (≤ O) objects, already padded to O:
 * phrase ids/types/mask are O×L row-major, classes O, relations O×O row-major (0 = none/padding).
 */
public record RelationItem(int index, RgbImage image, int objects, int[] ids, int[] types, int[] mask,
                           int[] classes, int[] relations) {}
