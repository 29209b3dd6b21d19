package dev.groundwork.engine.golden;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.Device;

import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The backends a parity test runs on: the CPU always, CUDA when a device and its backend exist. */
public final class GoldenDevices {
    private GoldenDevices() {}

    /** Every device a case is generated for; one that is not usable here skips its tests, saying why. */
    public static final List<Device> ALL = List.of(Device.CPU, Device.cuda(0));

    /** Skips the calling test, with the backend's reason, when d is not usable here. */
    public static void require(Device d) {
        var a = Backends.availability(d.type());
        assumeTrue(a.available(), () -> d + " skipped: " + a.reason());
    }

    /**
     * Tolerance multiplier per device: 1 on the CPU; 20 on CUDA, for fp32 sums in another order
     * (tree reductions, cuBLAS/cuDNN blocking). The GPU report runs the golden cases in fp32
     * (GW_TF32=0, tools/gpu/run.sh): TF32 rounds inputs to 10 mantissa bits and, through the
     * 13 convolutions of the VGG16-attention case, moved the first layer's weight gradient by 24%
     * (H200, bench/results/gpu-h200.md), so TF32 is checked separately against its own stated
     * tolerance (kernels CudaBackendTest).
     */
    public static double tolScale(Device d) { return d.type() == Device.Type.CPU ? 1 : 20; }
}
