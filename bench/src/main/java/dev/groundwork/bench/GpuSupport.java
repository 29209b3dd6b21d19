package dev.groundwork.bench;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.kernels.backend.CudaBackend;

/** The CUDA backend for GPU benchmarks, or a clear refusal where there is none. */
final class GpuSupport {
    private GpuSupport() {}

    static CudaBackend cuda() {
        var a = Backends.availability(Device.Type.CUDA);
        if (!a.available()) throw new IllegalStateException("GPU benchmark needs a CUDA device: " + a.reason());
        return (CudaBackend) Backends.of(Device.cuda(0));
    }

    /** The device a benchmark parameter names ("cpu", "cuda", "cuda:1"); a CUDA one is refused, naming {@code what}, where there is none. */
    static Device device(String spelled, String what) {
        Device d = Device.parse(spelled);
        var a = Backends.availability(Device.Type.CUDA);
        if (d.type() == Device.Type.CUDA && !a.available()) throw new IllegalStateException(what + " needs a CUDA device: " + a.reason());
        return d;
    }
}
