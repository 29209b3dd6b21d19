package dev.groundwork.engine.tensor;

/**
 * bfloat16 as bits: the top 16 bits of a float32 (8 exponent bits, 7 mantissa bits). The engine has
 * no bf16 tensors; bf16 data lives in raw buffers (the CUDA bf16 kernels, BF16 safetensors), and a
 * float32 tensor {@link #round rounded} to bf16 is the CPU reference for a kernel fed bf16 inputs.
 * Rounding is to nearest, ties to even, NaN kept NaN: what {@code __float2bfloat16_rn} and torch's
 * {@code .to(torch.bfloat16)} do.
 */
public final class Bf16 {
    private Bf16() {}

    /** The bf16 bits nearest to x. */
    public static short bits(float x) {
        int u = Float.floatToRawIntBits(x);
        if ((u & 0x7fffffff) > 0x7f800000) return (short) 0x7fc0;  // NaN, quiet
        return (short) ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16);
    }

    /** The float32 value of bf16 bits (exact). */
    public static float value(short bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }

    /** x rounded to the nearest bf16, as a float. */
    public static float round(float x) { return value(bits(x)); }

    /** Every element of x rounded to bf16: a new contiguous F32 tensor on the CPU, same shape. */
    public static Tensor round(Tensor x) {
        float[] a = x.toFloatArray();
        for (int i = 0; i < a.length; i++) a[i] = round(a[i]);
        return Tensor.of(a, x.shape());
    }

    /** The bf16 bits of every element of x, in row-major order. */
    public static short[] bits(Tensor x) {
        float[] a = x.toFloatArray();
        short[] out = new short[a.length];
        for (int i = 0; i < a.length; i++) out[i] = bits(a[i]);
        return out;
    }
}
