package dev.groundwork.engine.backend;

import dev.groundwork.engine.cpu.CpuBackend;
import dev.groundwork.engine.tensor.Device;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the backend of a device: the CPU one built in, others through ServiceLoader. */
public final class Backends {
    private static final Map<Device, Backend> OPEN = new ConcurrentHashMap<>();

    private Backends() {}

    public static Backend of(Device device) {
        if (device.type() == Device.Type.CPU) return CpuBackend.INSTANCE;
        return OPEN.computeIfAbsent(device, d -> provider(d.type()).open(d.index()));
    }

    /** Whether the device type has a provider on the class path and a usable device, and if not, why. */
    public static BackendProvider.Availability availability(Device.Type type) {
        if (type == Device.Type.CPU) return new BackendProvider.Availability(true, "");
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.type() == type) return p.availability();
        }
        return new BackendProvider.Availability(false,
                "no " + type + " backend on the class path (the 'kernels' module provides it)");
    }

    private static BackendProvider provider(Device.Type type) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.type() == type) return p;
        }
        throw new IllegalStateException("no " + type + " backend on the class path (the 'kernels' module provides it)");
    }
}
