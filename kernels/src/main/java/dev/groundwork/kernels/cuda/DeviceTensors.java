package dev.groundwork.kernels.cuda;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.memory.CachingAllocator;
import dev.groundwork.kernels.memory.CudaStorage;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

/**
 * Tensors on one CUDA device as the kernels' host classes handle them: addresses, uninitialised
 * outputs and scratch, dense copies of strided inputs and their release. Copies go through the
 * owning backend's {@link Backend#copy}, so this class needs nothing of the backend package.
 */
public final class DeviceTensors {
    private final Backend owner;
    private final CudaContext ctx;
    private final CachingAllocator allocator;

    public DeviceTensors(Backend owner, CudaContext ctx, CachingAllocator allocator) {
        this.owner = owner;
        this.ctx = ctx;
        this.allocator = allocator;
    }

    /** t's CUDA storage; an error naming t's device when it has none. */
    public static CudaStorage cuda(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s))
            throw new IllegalArgumentException("CUDA kernel given a tensor on " + t.device());
        return s;
    }

    /** Device address of the tensor's first element (storage offset applied). */
    public static long addr(Tensor t) {
        return cuda(t).address() + (long) t.offset() * t.dtype().byteSize();
    }

    /** Closes copy when it is one (a dense copy or a temporary standing in for original). */
    public static void closeIfCopy(Tensor copy, Tensor original) {
        if (copy != null && copy != original) copy.close();
    }

    /** Closes every non-null argument; the first failure is rethrown after all were tried. */
    public static void closeAll(AutoCloseable... cs) {
        RuntimeException first = null;
        for (AutoCloseable c : cs) {
            if (c == null) continue;
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException(e);
            }
        }
        if (first != null) throw first;
    }

    /**
     * t has the dtype and lives on backend's device (shape checks come first in the callers, so they
     * also run without a GPU, where backend is null).
     */
    public static void requireCuda(Backend backend, String op, String what, Tensor t, DType dtype) {
        if (t.dtype() != dtype) throw new IllegalArgumentException(op + ": " + what + " must be " + dtype + ", got " + t.dtype());
        if (t.device().type() != Device.Type.CUDA)
            throw new IllegalArgumentException(op + ": " + what + " is on " + t.device() + "; the fused kernels need CUDA tensors");
        if (backend == null) throw new IllegalArgumentException(op + ": no CUDA backend given");
        if (!t.device().equals(backend.device()))
            throw new IllegalArgumentException(op + ": " + what + " is on " + t.device() + " but the backend is " + backend.device());
    }

    public static void requireCudaF32(Backend backend, String op, String what, Tensor t) { requireCuda(backend, op, what, t, DType.F32); }

    /** Each non-null t is float32, the dtype the CUDA row kernels compute in; what names the op in the error. */
    public static void requireF32(String what, Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) throw new IllegalArgumentException(what + ": CUDA computes float32, got " + t.dtype());
    }

    /** Each non-null t is a contiguous float32 tensor (the fused glue kernels' contract); op names the error. */
    public static void requireContiguousF32(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t == null) continue;
            if (t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": expects F32 tensors, got " + t.dtype());
            if (!t.isContiguous()) throw new IllegalArgumentException(op + ": expects contiguous tensors");
        }
    }

    /** Whether every non-null t is float32 (the fused kernels' dtype; otherwise an op composes primitives). */
    public static boolean allF32(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.dtype() != DType.F32) return false;
        return true;
    }

    /** Uninitialised device storage of size elements. */
    public CudaStorage allocate(DType dtype, int size) {
        long bytes = (long) size * dtype.byteSize();
        return new CudaStorage(owner.device(), allocator, dtype, size, allocator.allocate(bytes, ctx.computeStreamAddress()));
    }

    /** A new contiguous tensor on this device, uninitialised. */
    public Tensor empty(DType dtype, int... shape) {
        return new Tensor(allocate(dtype, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
    }

    /** t itself when contiguous, else a contiguous copy the caller must close (check with ==, or closeIfCopy). */
    public Tensor dense(Tensor t) {
        if (t == null || t.isContiguous()) return t;
        Tensor c = empty(t.dtype(), t.shape());
        owner.copy(t, c);
        return c;
    }

    /** A contiguous tensor with its own reference to the storage: a retained view of t, or a dense copy. */
    public Tensor retainDense(Tensor t) {
        Tensor d = dense(t);
        return d != t ? d : t.asStrided(t.shape(), t.strides(), t.offset());
    }

    /** Raw device memory on the compute stream, released by closing it. */
    public DeviceBuffer scratch(long bytes) { return new DeviceBuffer(allocator, bytes, ctx.computeStreamAddress()); }

    /** Zeroes bytes at address on the compute stream; what names it in an error. */
    public void zero(long address, long bytes, String what) {
        if (bytes == 0) return;
        ctx.makeCurrent();
        Cu.check(cuMemsetD8Async(DevicePointers.of(address), (byte) 0, bytes, ctx.computeStream()), "cuMemsetD8Async(" + what + ", " + bytes + " bytes)");
    }
}
