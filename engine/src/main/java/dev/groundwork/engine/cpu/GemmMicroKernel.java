package dev.groundwork.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link Gemm}: an {@code MR x NR} tile of C from one packed
 * A micro-panel ({@code kc x MR}, column-interleaved) and one packed B micro-panel ({@code kc x NR}).
 *
 * <p>Shape: {@code MR = 6} rows by {@code NR = 2} vectors. On AVX-512 (16 lanes) that is 6x32 with
 * 12 accumulator registers, 2 for B and 1 for the broadcast A value, leaving room in the 32 zmm
 * registers so C2 never spills; 12 independent FMA chains also cover the 4-cycle FMA latency on two
 * FMA pipes (8 needed). On AVX2 (8 lanes, 16 ymm registers) the same code is the classic 6x16 tile
 * with 15 live registers. Per k step: 2 vector loads + 6 broadcasts feed 12 FMAs, so the loop is
 * FMA-bound rather than load-bound.
 */
final class GemmMicroKernel {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    private GemmMicroKernel() {}

    /**
     * {@code C[0:MR, 0:NR] += sum_p A[:, p] * B[p, :]}, or with {@code store} {@code C = sum ...} without
     * reading C (the first K slice of a beta = 0 product, whose output may be a reused, dirty buffer). The
     * driver applies any other beta to C once up front, which keeps this method small enough for C2 to
     * compile as one unit.
     */
    static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean store) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        // Stores written out rather than via a helper: a helper taking vectors as arguments can fall
        // outside C2's inlining budget, and then every vector is boxed and the store intrinsic fails.
        int o = cOff;
        if (store) {
            c00.intoArray(c, o);
            c01.intoArray(c, o + L);
            o += ldc;
            c10.intoArray(c, o);
            c11.intoArray(c, o + L);
            o += ldc;
            c20.intoArray(c, o);
            c21.intoArray(c, o + L);
            o += ldc;
            c30.intoArray(c, o);
            c31.intoArray(c, o + L);
            o += ldc;
            c40.intoArray(c, o);
            c41.intoArray(c, o + L);
            o += ldc;
            c50.intoArray(c, o);
            c51.intoArray(c, o + L);
            return;
        }
        c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        c01.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        o += ldc;
        c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        c11.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        o += ldc;
        c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        c21.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        o += ldc;
        c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        c31.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        o += ldc;
        c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        c41.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
        o += ldc;
        c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        c51.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    }
}
