package dev.groundwork.models.interbert.data;

import java.util.Arrays;

/**
 * A fixed-length text input: ids (padded with [PAD] = 0), mask (1 on real tokens) and segment ids,
 * all the same length.
 */
public record TextSlots(int[] ids, int[] mask, int[] segments) {
    /** {@code tokens} then padding, with their segment ids, in exactly {@code length} slots. */
    static TextSlots of(int[] tokens, int[] segments, int length, int padId) {
        int n = Math.min(tokens.length, length);
        int[] ids = new int[length], mask = new int[length], seg = new int[length];
        Arrays.fill(ids, padId);
        System.arraycopy(tokens, 0, ids, 0, n);
        System.arraycopy(segments, 0, seg, 0, n);
        Arrays.fill(mask, 0, n, 1);
        return new TextSlots(ids, mask, seg);
    }
}
