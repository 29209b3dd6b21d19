package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CublasMatmul;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.memory.DeviceBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** bf16.cu's conversions round trip, and cuBLAS's bf16 GEMMs on their buffers accumulate in fp32. */
class Bf16KernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void bf16GemmAccumulatesInFp32() {
        CudaBackend be = requireCuda();
        int m = 64, n = 48, k = 320;
        Tensor a = rand(r, 1, m, k), b = rand(r, 1, k, n);
        Tensor out = be.empty(DType.F32, m, n);
        try (DeviceBuffer ab = Bf16Kernels.toBf16(be, a.to(CUDA)); DeviceBuffer bb = Bf16Kernels.toBf16(be, b.to(CUDA))) {
            CublasMatmul.gemmBf16(be, ab, bb, out, m, n, k);
            // bf16 keeps 8 mantissa bits: ~3e-3 relative per input, averaging down over K.
            assertClose("bf16 gemm", out, a.matmul(b), 1e-2);
            Tensor back = be.empty(DType.F32, m, k);
            Bf16Kernels.fromBf16(be, ab, back);
            assertClose("bf16 round trip", back, a, 4e-3);
            try (DeviceBuffer o16 = be.scratch((long) m * n * 2)) {
                CublasMatmul.gemmBf16Out(be, ab, bb, o16, m, n, k);
                Bf16Kernels.fromBf16(be, o16, back.reshape(m * k).narrow(0, 0, m * n).reshape(m, n));
                assertClose("bf16-out gemm", back.reshape(m * k).narrow(0, 0, m * n).reshape(m, n), a.matmul(b), 1.2e-2);
            }
        }
        assertEquals(Device.cuda(0), out.device());
    }
}
