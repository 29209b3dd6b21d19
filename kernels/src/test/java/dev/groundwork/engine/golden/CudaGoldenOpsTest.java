package dev.groundwork.engine.golden;

import dev.groundwork.engine.tensor.Device;

import java.util.List;

/**
 * The engine's golden op cases on CUDA, run from the kernels module where the CUDA backend is on the
 * class path (GoldenOpsTest in the engine runs them on the CPU). Without a device each case is
 * reported as skipped under its own name, with the reason. CUDA tolerance: 20x the case's fp32
 * tolerance (GoldenDevices.tolScale).
 */
class CudaGoldenOpsTest extends GoldenOpsTest {
    @Override protected List<Device> devices() { return List.of(Device.cuda(0)); }
}
