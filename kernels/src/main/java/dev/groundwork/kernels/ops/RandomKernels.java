package dev.groundwork.kernels.ops;

import dev.groundwork.engine.backend.Backend.RandomKind;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import java.util.Arrays;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/** Host side of random.cu, behind {@code Backend.random}: element i draws Philox4x32-10 (seed, offset + i), as the CPU backend does. */
public final class RandomKernels {
    private RandomKernels() {}

    static final String FILE = "random";
    static final EntryPoint RANDOM = EntryPoint.of(FILE, "gw_random", I32, PTR, I32, I64, I64, I64, F64, F64);

    public static void random(CudaDevice dev, Tensor out, RandomKind kind, long seed, long offset, double lo, double hi) {
        long n = out.numel();
        if (n == 0) return;
        if (!out.isContiguous()) throw new IllegalArgumentException("random: output must be contiguous, got strides " + Arrays.toString(out.strides()));
        dev.launcher().elementwise(RANDOM.args().i32(kind.ordinal()).ptr(addr(out)).i32(out.dtype().ordinal()).i64(n)
                .i64(seed).i64(offset).f64(lo).f64(hi), n);
    }
}
