package dev.groundwork.engine.testing;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * One input of an {@link OpCase}: how to draw it from the case's generator, and whether it gets a
 * gradient. Floating inputs are drawn in float64 and then cast to the dtype the check runs in, so the
 * finite-difference check (float64) and the CPU/CUDA parity test (float32) see the same numbers up to
 * rounding. Nothing here is ever all zeros, integers are in range, and masks hold both values.
 */
public record OpInput(Kind kind, int[] shape, int bound, int special, boolean grad) {

    public enum Kind {
        /** N(0, 1). */ NORMAL,
        /** U[0.5, 2): for log, sqrt, rsqrt and fractional powers, away from their singularity at 0. */ POSITIVE,
        /** Integers in [0, bound) (I64): ids and indices. */ INDEX,
        /** Class ids in [0, bound) with element 0 set to {@code special}, the ignore index (I64). */ TARGET,
        /** 0/1 in the float dtype, column 0 of every row 1 (a row keeps something), the last element 0. */ MASK,
        /** Lengths (I64) in [1, bound], the first 0 and the last bound + 1: both clamps of n = max(1, min(len, T)) are hit. */ LENGTHS
    }

    public static OpInput normal(int... shape) { return new OpInput(Kind.NORMAL, shape, 0, 0, true); }

    public static OpInput positive(int... shape) { return new OpInput(Kind.POSITIVE, shape, 0, 0, true); }

    public static OpInput index(int bound, int... shape) { return new OpInput(Kind.INDEX, shape, bound, 0, false); }

    public static OpInput target(int classes, int ignoreIndex, int... shape) { return new OpInput(Kind.TARGET, shape, classes, ignoreIndex, false); }

    public static OpInput mask(int... shape) { return new OpInput(Kind.MASK, shape, 0, 0, false); }

    public static OpInput lengths(int t, int... shape) { return new OpInput(Kind.LENGTHS, shape, t, 0, false); }

    /** This input without a gradient (a floating input the op reads but the check does not differentiate). */
    public OpInput constant() { return new OpInput(kind, shape, bound, special, false); }

    /** A fresh CPU tensor drawn from g; floating kinds in floatType. */
    public Tensor draw(Generator g, DType floatType) {
        int n = Shape.numel(shape);
        return switch (kind) {
            case NORMAL -> g.normal(DType.F64, Device.CPU, 0, 1, shape).to(floatType);
            case POSITIVE -> g.uniform(DType.F64, Device.CPU, 0.5, 2, shape).to(floatType);
            case INDEX -> Tensor.ofLongs(ints(g, n, bound), shape);
            case TARGET -> {
                long[] t = ints(g, n, bound);
                t[0] = special;
                yield Tensor.ofLongs(t, shape);
            }
            case MASK -> {
                long[] bits = ints(g, n, 2);
                double[] m = new double[n];
                int row = shape[shape.length - 1];
                for (int i = 0; i < n; i++) m[i] = i % row == 0 ? 1 : bits[i];
                m[n - 1] = 0;
                yield Tensor.of(m, shape).to(floatType);
            }
            case LENGTHS -> {
                long[] len = ints(g, n, bound);
                for (int i = 0; i < n; i++) len[i]++;
                len[0] = 0;
                len[n - 1] = bound + 1;
                yield Tensor.ofLongs(len, shape);
            }
        };
    }

    private static long[] ints(Generator g, int n, int bound) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = g.nextInt(bound);
        return a;
    }

    @Override public String toString() { return kind.name().toLowerCase() + Shape.str(shape) + (grad ? "" : " (no grad)"); }
}
