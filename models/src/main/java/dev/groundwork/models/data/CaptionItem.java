package dev.groundwork.models.data;

import dev.groundwork.models.text.VgBertText;

/** One image with one encoded caption (T slots); {@code index} is its dataset index. */
public record CaptionItem(int index, RgbImage image, VgBertText.Caption caption) {}
