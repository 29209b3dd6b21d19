package dev.groundwork.engine.dist;

import dev.groundwork.engine.cpu.CpuStorage;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies between host tensors (Java arrays, which the GC may move) and native memory, which a
 * non-blocking collective may read or write until it completes: MPI never sees the heap.
 */
final class HostBuffers {
    private HostBuffers() {}

    static ValueLayout layout(DType d) {
        return switch (d) {
            case F32 -> ValueLayout.JAVA_FLOAT;
            case F64 -> ValueLayout.JAVA_DOUBLE;
            case I64 -> ValueLayout.JAVA_LONG;
            case I32 -> ValueLayout.JAVA_INT;
            default -> throw new IllegalArgumentException("collectives carry f32, f64, i64 and i32 tensors, not " + d);
        };
    }

    static void requireContiguous(Tensor t, String what) {
        if (!t.isContiguous())
            throw new IllegalArgumentException(what + " works in place and needs a contiguous tensor, got shape "
                    + Shape.str(t.shape()) + " strides " + Shape.str(t.strides()));
    }

    static void requireHost(Tensor t, String what) {
        if (!t.device().equals(Device.CPU))
            throw new IllegalArgumentException(what + " over MPI takes host tensors; this one is on " + t.device()
                    + " (CUDA tensors go through the NCCL communicator)");
    }

    /** Copies t's elements (contiguous) to dst at byte offset 0. */
    static void toNative(Tensor t, MemorySegment dst) {
        Object a = array(t);
        MemorySegment.copy(a, t.offset(), dst, layout(t.dtype()), 0, t.numel());
    }

    /** Copies {@code count} elements from src at byte offset 0 into t (contiguous) from its first element. */
    static void fromNative(MemorySegment src, Tensor t) {
        Object a = array(t);
        MemorySegment.copy(src, layout(t.dtype()), 0, a, t.offset(), t.numel());
    }

    private static Object array(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s)) throw new IllegalArgumentException("not a host tensor: " + t.device());
        return switch (t.dtype()) {
            case F32 -> s.f32();
            case F64 -> s.f64();
            case I64 -> s.i64();
            case I32 -> s.i32();
            default -> throw new IllegalArgumentException("collectives carry f32, f64, i64 and i32 tensors, not " + t.dtype());
        };
    }
}
