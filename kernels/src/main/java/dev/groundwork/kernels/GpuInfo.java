package dev.groundwork.kernels;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.blas.NativeLibraries;

/**
 * Prints what the CUDA backend found and loaded on this host: device, PTX target, the cuBLAS and
 * cuDNN libraries bound through FFM (or why not), and the library search path. The GPU report
 * (tools/gpu/run.sh) starts with it.
 */
public final class GpuInfo {
    private GpuInfo() {}

    public static void main(String[] args) {
        System.out.println("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        var a = Backends.availability(Device.Type.CUDA);
        if (!a.available()) {
            System.out.println("cuda: unavailable: " + a.reason());
            return;
        }
        CudaBackend be = (CudaBackend) Backends.of(Device.cuda(0));
        int[] v = new int[1];
        jcuda.driver.JCudaDriver.cuDriverGetVersion(v);
        System.out.println("device: " + be.deviceName() + ", compute capability " + be.context().computeCapability() / 10 + "."
                + be.context().computeCapability() % 10 + ", " + be.context().multiprocessors() + " SMs, "
                + be.context().totalMemory() / (1 << 20) + " MiB");
        System.out.println("driver API version: " + v[0] + " (JCuda " + jcuda.driver.JCudaDriver.class.getPackage().getImplementationVersion() + ")");
        System.out.println("ptx target loaded: " + be.ptxTarget());
        System.out.println("cublas: " + be.cublasStatus());
        System.out.println("cudnn: " + be.cudnnStatus());
        System.out.println("nccl: " + dev.groundwork.kernels.nccl.Nccl.find().map(p -> {
            try {
                return "NCCL " + dev.groundwork.kernels.nccl.Nccl.versionString(dev.groundwork.kernels.nccl.Nccl.load().version()) + " from " + p;
            } catch (RuntimeException e) {
                return p + " does not load: " + e.getMessage();
            }
        }).orElse("libnccl.so.N not found (set GW_NCCL_LIB); the NCCL tests and GpuAllReduceBench will skip or fail"));
        System.out.println("tf32 default: " + be.tf32());
        System.out.println("library search path: " + NativeLibraries.searchPath());
    }
}
