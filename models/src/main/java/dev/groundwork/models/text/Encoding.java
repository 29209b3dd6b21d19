package dev.groundwork.models.text;

/**
 * A fixed-length model input: token ids, segment (token-type) ids and the attention mask
 * (1 = real token, 0 = padding), all {@code ids.length} long, and {@code length}, the number
 * of real tokens, which occupy the first {@code length} slots.
 */
public record Encoding(int[] ids, int[] typeIds, int[] mask, int length) {
    public Encoding {
        if (typeIds.length != ids.length || mask.length != ids.length)
            throw new IllegalArgumentException("ids, typeIds and mask differ in length: "
                    + ids.length + ", " + typeIds.length + ", " + mask.length);
        if (length < 0 || length > ids.length)
            throw new IllegalArgumentException("length " + length + " outside 0.." + ids.length);
    }
}
