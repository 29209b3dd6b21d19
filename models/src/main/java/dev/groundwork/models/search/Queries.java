package dev.groundwork.models.search;

import dev.groundwork.engine.tensor.Tensor;

/** Query vectors: unit length, and the image/word blend of spec §7.3. */
public final class Queries {
    private Queries() {}

    /**
     * q(α) = normalise((1−α)·q_I + α·q_W) (spec §7.3). α = 0 is the pure image query, α = 1 the pure
     * word query; both inputs are normalised first so α weighs directions, not magnitudes.
     */
    public static Tensor blend(Tensor imageQuery, Tensor textQuery, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        float[] a = unit(imageQuery), b = unit(textQuery);
        if (a.length != b.length) throw new IllegalArgumentException("image query has " + a.length + " dimensions, text query " + b.length);
        float[] m = new float[a.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) ((1 - alpha) * a[i] + alpha * b[i]);
        return Tensor.of(unit(Tensor.of(m, m.length)), m.length);
    }

    /** q / max(‖q‖, 1e-12) as a host array (the eps of F.normalize, so a zero vector stays zero). */
    static float[] unit(Tensor q) {
        float[] v = q.contiguous().toFloatArray();
        double n = 0;
        for (float x : v) n += (double) x * x;
        double inv = 1.0 / Math.max(Math.sqrt(n), 1e-12);
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * inv);
        return v;
    }
}
