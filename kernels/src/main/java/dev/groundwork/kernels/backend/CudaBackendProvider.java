package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.BackendProvider;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.kernels.cuda.DriverProbe;

/** Registers the CUDA backend with the engine (META-INF/services). */
public final class CudaBackendProvider implements BackendProvider {
    @Override public Device.Type type() { return Device.Type.CUDA; }

    @Override public Backend open(int index) {
        DriverProbe.requireDriver();   // before any JCuda class initialises: a clear message, not NoClassDefFoundError
        return new CudaBackend(index);
    }

    @Override public Availability availability() {
        String why = DriverProbe.unavailableReason();
        return new Availability(why.isEmpty(), why);
    }
}
