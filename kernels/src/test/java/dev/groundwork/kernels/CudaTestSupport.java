package dev.groundwork.kernels;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared by the CUDA tests: skip with the reason when there is no device; random inputs; comparisons. */
public final class CudaTestSupport {
    private CudaTestSupport() {}

    public static final Device CUDA = Device.cuda(0);

    /** Skips the calling test, stating why, when no CUDA device is usable here. */
    public static CudaBackend requireCuda() {
        var a = Backends.availability(Device.Type.CUDA);
        assumeTrue(a.available(), () -> "CUDA test skipped: " + a.reason());
        return (CudaBackend) Backends.of(CUDA);
    }

    /** A CPU tensor of uniform values in [-scale, scale) (never zeros). */
    public static Tensor rand(SplittableRandom r, double scale, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return Tensor.of(a, shape);
    }

    /** ‖got − want‖₂ / ‖want‖₂ (absolute norm when want is zero). */
    public static double relL2(Tensor got, Tensor want) {
        double[] g = got.to(Device.CPU).to(DType.F64).toDoubleArray(), w = want.to(Device.CPU).to(DType.F64).toDoubleArray();
        if (g.length != w.length) throw new AssertionError("sizes differ: " + g.length + " vs " + w.length);
        double num = 0, den = 0;
        for (int i = 0; i < g.length; i++) {
            num += (g[i] - w[i]) * (g[i] - w[i]);
            den += w[i] * w[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    public static void assertClose(String what, Tensor got, Tensor want, double tol) {
        double e = relL2(got, want);
        assertTrue(e <= tol, () -> what + ": relative L2 error " + e + " exceeds " + tol);
    }
}
