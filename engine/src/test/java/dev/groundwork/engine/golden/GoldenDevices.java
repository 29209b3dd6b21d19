package dev.groundwork.engine.golden;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.Device;

import java.util.ArrayList;
import java.util.List;

/** The backends a parity test runs on: the CPU always, CUDA when a device and its backend exist. */
public final class GoldenDevices {
    private GoldenDevices() {}

    public static List<Device> available() {
        List<Device> ds = new ArrayList<>(List.of(Device.CPU));
        if (Backends.availability(Device.Type.CUDA).available()) ds.add(Device.cuda(0));
        return ds;
    }

    /** Why CUDA cases are not run here (empty when they are). */
    public static String cudaSkipReason() {
        var a = Backends.availability(Device.Type.CUDA);
        return a.available() ? "" : a.reason();
    }

    /**
     * Tolerance multiplier per device: 1 on the CPU (fp32); on CUDA, TF32 GEMMs (10-bit mantissa) are
     * allowed a 20x wider relative error.
     */
    public static double tolScale(Device d) { return d.type() == Device.Type.CPU ? 1 : 20; }
}
