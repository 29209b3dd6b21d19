package dev.groundwork.kernels.memory;

/**
 * Untyped scratch memory from the caching allocator (cuDNN workspaces, reduction partials), freed
 * by {@link #close()} at the end of a try-with-resources. Safe to free right after queueing the
 * kernels that use it: the block is only reused on the same stream, after them.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CachingAllocator allocator;
    private final CachingAllocator.Block block;
    private final long bytes;
    private boolean closed;

    public DeviceBuffer(CachingAllocator allocator, long bytes, long stream) {
        this.allocator = allocator;
        this.bytes = bytes;
        this.block = bytes == 0 ? null : allocator.allocate(bytes, stream);
    }

    public long address() { return block == null ? 0 : block.address(); }

    /** The size asked for (the block may be larger: the allocator rounds up). */
    public long bytes() { return bytes; }

    @Override
    public void close() {
        if (closed || block == null) return;
        closed = true;
        allocator.free(block);
    }
}
