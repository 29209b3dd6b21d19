package dev.groundwork.models.interbert;

import dev.groundwork.engine.tensor.Tensor;

/**
 * How the two pooled vectors are combined before the ITM and VL heads ({@code fusion_method}, spec 1.5).
 * The original asserts on anything else; here an unknown name is refused when the config is read.
 */
public enum Fusion {
    /** pooled_t ⊙ pooled_v, the default (the JSON's {@code pooling_method} key is never read, spec 8.10). */
    MUL("mul"),
    /** pooled_t + pooled_v. */
    SUM("sum");

    private final String jsonName;

    Fusion(String jsonName) { this.jsonName = jsonName; }

    public String jsonName() { return jsonName; }

    public Tensor apply(Tensor pooledT, Tensor pooledV) {
        return this == MUL ? pooledT.mul(pooledV) : pooledT.add(pooledV);
    }

    /** The value of {@code fusion_method}. */
    public static Fusion fromJson(String name) {
        for (Fusion f : values()) if (f.jsonName.equals(name)) return f;
        throw new IllegalArgumentException("fusion_method '" + name + "' is not one of \"mul\", \"sum\"");
    }
}
