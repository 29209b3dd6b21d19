package dev.groundwork.kernels.memory;

/** What the caching allocator needs from the driver, so its policy can be tested without a GPU. */
public interface DeviceMemory {
    /** Device address of a fresh allocation; throws {@link OutOfMemory} when the device is full. */
    long malloc(long bytes);

    void free(long address);

    /** Waits for all queued work, before memory that kernels may still touch goes back to the driver. */
    void synchronize();

    final class OutOfMemory extends RuntimeException {
        public OutOfMemory(String message) { super(message); }
    }
}
