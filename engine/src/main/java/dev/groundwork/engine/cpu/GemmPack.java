package dev.groundwork.engine.cpu;

import static dev.groundwork.engine.cpu.GemmMicroKernel.MR;
import static dev.groundwork.engine.cpu.GemmMicroKernel.NR;

import java.util.Arrays;

/**
 * Packing of A and B blocks into the contiguous micro-panel layout the micro-kernel streams.
 *
 * <p>Packing turns any transpose/leading-dimension combination into unit-stride reads in the hot
 * loop, and pads the ragged last panel with zeros so the micro-kernel never needs a bounds case:
 * the padded rows/columns produce values that the driver simply does not copy out.
 */
final class GemmPack {

    private GemmPack() {}

    /**
     * Packs {@code op(A)[i0:i0+mc, p0:p0+kc]}, scaled by {@code alpha}, into {@code ceil(mc/MR)}
     * panels; panel {@code q} holds, for each p, the MR values {@code A[i0+q*MR+r, p0+p]}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      float alpha, float[] dst) {
        int panels = (mc + MR - 1) / MR;
        for (int q = 0; q < panels; q++) {
            int base = q * MR * kc;
            int rows = Math.min(MR, mc - q * MR);
            if (rows < MR) {
                Arrays.fill(dst, base, base + MR * kc, 0f);
            }
            if (!transA) {
                // Row r of A is contiguous in p: read unit-stride, write with stride MR.
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + q * MR + r) * lda + p0;
                    int d = base + r;
                    for (int p = 0; p < kc; p++, d += MR) {
                        dst[d] = alpha * a[src + p];
                    }
                }
            } else {
                // A is stored k x m: for fixed p the MR values are adjacent in memory.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + q * MR;
                    int d = base + p * MR;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = alpha * a[src + r];
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[p0:p0+kc, j0:j0+nc]} into {@code ceil(nc/NR)} panels; panel {@code q}
     * holds, for each p, the NR values {@code B[p0+p, j0+q*NR+j]}, starting at {@code dst[dstOff]}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] dst, int dstOff) {
        int panels = (nc + NR - 1) / NR;
        for (int q = 0; q < panels; q++) {
            int base = dstOff + q * NR * kc;
            int cols = Math.min(NR, nc - q * NR);
            if (cols < NR) {
                Arrays.fill(dst, base, base + NR * kc, 0f);
            }
            if (!transB) {
                // Row p of B is contiguous in j: a straight copy of `cols` floats per p.
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + q * NR, dst, base + p * NR, cols);
                }
            } else {
                // B is stored n x k: column j of op(B) is contiguous in p.
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + q * NR + j) * ldb + p0;
                    int d = base + j;
                    for (int p = 0; p < kc; p++, d += NR) {
                        dst[d] = b[src + p];
                    }
                }
            }
        }
    }
}
