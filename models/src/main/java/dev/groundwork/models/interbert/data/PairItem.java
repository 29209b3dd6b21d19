package dev.groundwork.models.interbert.data;

import java.util.List;

/**
 * A downstream sample of k image-text pairs scored together (spec 4.2, 4.3): Flickr30K's four pairs
 * (target per pair: 0 matched, 1 not) or VCR's four candidates (one target: the right one's index).
 * Pairs may share an image's arrays; nothing here is changed after construction.
 *
 * @param images  per pair: features [R, F], locations [R, 5], mask [R], row 0 the global token
 * @param texts   per pair: [L] ids, mask, segment ids
 * @param targets Flickr: [4] per-pair ITM class; VCR: [1] the right candidate
 * @param id      the image id (Flickr) or the question's img_id (VCR results are keyed by it: spec 8.18)
 */
public record PairItem(List<RegionSet.Padded> images, List<TextSlots> texts, int[] targets, String id) {
    public PairItem {
        if (images.size() != texts.size()) throw new IllegalArgumentException(images.size() + " images for " + texts.size() + " texts");
        images = List.copyOf(images);
        texts = List.copyOf(texts);
    }

    public int pairs() { return images.size(); }
}
