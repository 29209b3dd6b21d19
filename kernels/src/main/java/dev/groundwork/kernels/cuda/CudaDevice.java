package dev.groundwork.kernels.cuda;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.memory.DeviceBuffer;

/**
 * One CUDA device as the kernels' host classes (package {@code ops}) see it: the engine's
 * {@link Backend} primitives (copies, fills, matmuls they compose with), the launcher, the device's
 * tensors, and the switches that pick a kernel variant. {@code CudaBackend} implements it; the host
 * classes depend on this interface only, so {@code ops} never depends on the backend package.
 */
public interface CudaDevice extends Backend {
    CudaContext context();

    Launcher launcher();

    DeviceTensors tensors();

    /** Whether GEMMs and convolutions use TF32 tensor cores. */
    boolean tf32();

    /** Whether F.attention's fused kernel runs in bf16 on tensor cores (attention_bf16*.cu). */
    boolean attentionBf16();

    /** Whether the matchmap max runs on TF32 tensor cores (matchmap_tf32.cu). */
    boolean matchmapTf32();

    /** A new contiguous tensor on this device, uninitialised. */
    default Tensor empty(DType dtype, int... shape) { return tensors().empty(dtype, shape); }

    /** t itself when contiguous, else a contiguous copy the caller must close. */
    default Tensor dense(Tensor t) { return tensors().dense(t); }

    /** Raw device memory on the compute stream. */
    default DeviceBuffer scratch(long bytes) { return tensors().scratch(bytes); }
}
