package dev.groundwork.kernels.cuda;

import jcuda.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameter list of one kernel launch, in declaration order. Device pointers travel as 64-bit
 * addresses; a {@code Layout} struct (see common.cuh) as its bytes.
 */
public final class KernelArgs {
    /** Must match GW_MAX_RANK in common.cuh. */
    public static final int MAX_RANK = 8;
    /** sizeof(Layout): int rank, int shape[8], 4 bytes of padding, long long stride[8]. */
    static final int LAYOUT_BYTES = 4 + 4 * MAX_RANK + 4 + 8 * MAX_RANK;

    private final List<Pointer> args = new ArrayList<>();

    public KernelArgs ptr(long address) { args.add(Pointer.to(new long[]{address})); return this; }

    public KernelArgs i32(int v) { args.add(Pointer.to(new int[]{v})); return this; }

    public KernelArgs i64(long v) { args.add(Pointer.to(new long[]{v})); return this; }

    public KernelArgs f32(float v) { args.add(Pointer.to(new float[]{v})); return this; }

    public KernelArgs f64(double v) { args.add(Pointer.to(new double[]{v})); return this; }

    /** A strided layout: shape and element strides, rank at most {@link #MAX_RANK}. */
    public KernelArgs layout(int[] shape, long[] strides) {
        if (shape.length > MAX_RANK) throw new IllegalArgumentException("rank " + shape.length + " exceeds the kernels' limit of " + MAX_RANK);
        ByteBuffer b = ByteBuffer.allocate(LAYOUT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shape.length);
        for (int i = 0; i < MAX_RANK; i++) b.putInt(i < shape.length ? shape[i] : 1);
        b.putInt(0);
        for (int i = 0; i < MAX_RANK; i++) b.putLong(i < strides.length ? strides[i] : 0);
        args.add(Pointer.to(b.array()));
        return this;
    }

    Pointer pointer() { return Pointer.to(args.toArray(new Pointer[0])); }
}
