package dev.groundwork.engine.backend;

import dev.groundwork.engine.tensor.Device;

/**
 * A device type's backend, discovered through {@link java.util.ServiceLoader}. The CUDA backend in
 * module {@code kernels} registers one, so the engine reaches it without importing it.
 */
public interface BackendProvider {
    Device.Type type();

    /**
     * The backend for one device of this type. Throws {@link IllegalStateException} naming what is
     * missing (driver, device) when it cannot be created.
     */
    Backend open(int index);

    /** Whether at least one device of this type can be opened here, and if not, why. */
    Availability availability();

    record Availability(boolean available, String reason) {}
}
