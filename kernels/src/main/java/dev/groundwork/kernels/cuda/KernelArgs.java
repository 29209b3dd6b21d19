package dev.groundwork.kernels.cuda;

import dev.groundwork.kernels.cuda.EntryPoint.Param;
import jcuda.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameter list of one launch of an {@link EntryPoint}, in declaration order. Device pointers
 * travel as 64-bit addresses; a {@code Layout} struct (see common.cuh) as its bytes. Each argument is
 * checked against the entry point's declared type as it is added, and the count when the launch
 * takes it: a mismatch is an {@link IllegalStateException} naming the kernel, before the driver sees
 * anything.
 */
public final class KernelArgs {
    /** Must match GW_MAX_RANK in common.cuh. */
    public static final int MAX_RANK = 8;
    /** sizeof(Layout): int rank, int shape[8], 4 bytes of padding, long long stride[8]. */
    public static final int LAYOUT_BYTES = 4 + 4 * MAX_RANK + 4 + 8 * MAX_RANK;

    private final EntryPoint entry;
    private final List<Pointer> args = new ArrayList<>();

    KernelArgs(EntryPoint entry) { this.entry = entry; }

    public EntryPoint entry() { return entry; }

    /** The next argument must be declared as type; refuses it (naming the kernel) otherwise. */
    private void expect(Param type) {
        int i = args.size();
        if (i >= entry.params().size())
            throw new IllegalStateException(entry.file() + ".cu " + entry.name() + " takes " + entry.params().size() + " arguments; a "
                    + type + " was packed as argument " + (i + 1));
        Param want = entry.params().get(i);
        if (want != type)
            throw new IllegalStateException(entry.file() + ".cu " + entry.name() + ": argument " + (i + 1) + " is declared " + want
                    + " but a " + type + " was packed");
    }

    public KernelArgs ptr(long address) {
        expect(Param.PTR);
        args.add(Pointer.to(new long[]{address}));
        return this;
    }

    public KernelArgs i32(int v) {
        expect(Param.I32);
        args.add(Pointer.to(new int[]{v}));
        return this;
    }

    public KernelArgs i64(long v) {
        expect(Param.I64);
        args.add(Pointer.to(new long[]{v}));
        return this;
    }

    public KernelArgs f32(float v) {
        expect(Param.F32);
        args.add(Pointer.to(new float[]{v}));
        return this;
    }

    public KernelArgs f64(double v) {
        expect(Param.F64);
        args.add(Pointer.to(new double[]{v}));
        return this;
    }

    /** A strided layout: shape and element strides, rank at most {@link #MAX_RANK}. */
    public KernelArgs layout(int[] shape, long[] strides) {
        if (shape.length > MAX_RANK) throw new IllegalArgumentException("rank " + shape.length + " exceeds the kernels' limit of " + MAX_RANK);
        expect(Param.LAYOUT);
        ByteBuffer b = ByteBuffer.allocate(LAYOUT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shape.length);
        for (int i = 0; i < MAX_RANK; i++) b.putInt(i < shape.length ? shape[i] : 1);
        b.putInt(0);
        for (int i = 0; i < MAX_RANK; i++) b.putLong(i < strides.length ? strides[i] : 0);
        args.add(Pointer.to(b.array()));
        return this;
    }

    /** Refuses a launch whose arguments stop short of the declaration. */
    void requireComplete() {
        if (args.size() != entry.params().size())
            throw new IllegalStateException(entry.file() + ".cu " + entry.name() + " takes " + entry.params().size() + " arguments, "
                    + args.size() + " were packed");
    }

    /** The packed list for cuLaunchKernel. */
    Pointer pointer() {
        requireComplete();
        return Pointer.to(args.toArray(new Pointer[0]));
    }
}
