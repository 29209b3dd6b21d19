package dev.groundwork.kernels.cuda;

import jcuda.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static jcuda.driver.JCudaDriver.*;

/**
 * Host transfers through pinned (page-locked) staging memory on the copy stream.
 *
 * <p>Upload: the Java array is copied into a pinned buffer, the DMA to the device is queued on the
 * copy stream, and the compute stream is made to wait for it, so the caller returns while the
 * transfer runs; the buffer is only reused once its previous transfer has finished. Download: the
 * copy stream waits for the compute stream, copies into pinned memory, and the host reads it out.
 * Two buffers alternate so an upload can be filled while the previous one is in flight.
 */
public final class HostStaging {
    private final CudaContext ctx;
    private final Buffer[] ring = {new Buffer(), new Buffer()};
    private int next;

    HostStaging(CudaContext ctx) { this.ctx = ctx; }

    private static final class Buffer {
        Pointer host;
        ByteBuffer view;
        long capacity;
        jcuda.driver.CUevent done;

        void ensure(long bytes) {
            if (capacity >= bytes) return;
            if (host != null) Cu.check(cuMemFreeHost(host), "cuMemFreeHost");
            long cap = Math.max(bytes, 1 << 20);
            host = new Pointer();
            Cu.check(cuMemAllocHost(host, cap), "cuMemAllocHost(" + cap + " bytes pinned)");
            view = host.getByteBuffer(0, cap).order(ByteOrder.nativeOrder());
            capacity = cap;
        }

        void awaitPrevious() {
            if (done != null) {
                Cu.check(cuEventSynchronize(done), "cuEventSynchronize(staging)");
                Cu.check(cuEventDestroy(done), "cuEventDestroy(staging)");
                done = null;
            }
        }
    }

    /** Copies a host array (float[], double[], long[], int[]) to device address {@code dst}. */
    public synchronized void upload(Object array, long dst, long bytes) {
        if (bytes == 0) return;
        Buffer b = ring[next];
        next = (next + 1) % ring.length;
        b.awaitPrevious();
        b.ensure(bytes);
        ByteBuffer v = b.view.clear();
        switch (array) {
            case float[] a -> v.asFloatBuffer().put(a);
            case double[] a -> v.asDoubleBuffer().put(a);
            case long[] a -> v.asLongBuffer().put(a);
            case int[] a -> v.asIntBuffer().put(a);
            default -> throw new IllegalArgumentException("unsupported host array " + array.getClass());
        }
        // The device memory may have been in use by earlier kernels (allocator reuse): order first.
        ctx.order(ctx.computeStream(), ctx.copyStream());
        Cu.check(cuMemcpyHtoDAsync(ptr(dst), b.host, bytes, ctx.copyStream()),
                "cuMemcpyHtoDAsync(" + bytes + " bytes)");
        b.done = new jcuda.driver.CUevent();
        Cu.check(cuEventCreate(b.done, jcuda.driver.CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        Cu.check(cuEventRecord(b.done, ctx.copyStream()), "cuEventRecord(upload)");
        Cu.check(cuStreamWaitEvent(ctx.computeStream(), b.done, 0), "cuStreamWaitEvent(upload)");
    }

    /** Copies {@code bytes} from device address {@code src} into the host array, after all queued compute work. */
    public synchronized void download(long src, Object array, long bytes) {
        if (bytes == 0) return;
        Buffer b = ring[next];
        next = (next + 1) % ring.length;
        b.awaitPrevious();
        b.ensure(bytes);
        ctx.order(ctx.computeStream(), ctx.copyStream());
        Cu.check(cuMemcpyDtoHAsync(b.host, ptr(src), bytes, ctx.copyStream()), "cuMemcpyDtoHAsync(" + bytes + " bytes)");
        Cu.check(cuStreamSynchronize(ctx.copyStream()), "cuStreamSynchronize(copy)");
        ByteBuffer v = b.view.clear();
        switch (array) {
            case float[] a -> v.asFloatBuffer().get(a);
            case double[] a -> v.asDoubleBuffer().get(a);
            case long[] a -> v.asLongBuffer().get(a);
            case int[] a -> v.asIntBuffer().get(a);
            default -> throw new IllegalArgumentException("unsupported host array " + array.getClass());
        }
    }

    /** A JCuda device pointer for a raw device address. */
    public static jcuda.driver.CUdeviceptr ptr(long address) { return DevicePointers.of(address); }
}
