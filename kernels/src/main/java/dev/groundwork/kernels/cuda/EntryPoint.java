package dev.groundwork.kernels.cuda;

import java.util.List;

/**
 * One kernel entry point of one .cu file with its parameter types, declared once as a constant of
 * the file's host class (package {@code ops}). Launches pack their arguments against it
 * ({@link #args()}), and a test checks every declaration against the committed PTX both ways, so a
 * changed signature fails the build instead of a launch on a GPU.
 *
 * @param file   the source file's name without {@code .cu} (also its PTX resource's name)
 * @param name   the {@code extern "C"} kernel name
 * @param params the parameter types in declaration order
 */
public record EntryPoint(String file, String name, List<Param> params) {
    /** How a kernel parameter travels; what each is in PTX is in the comment. */
    public enum Param {
        /** A device pointer: {@code .param .u64}. */ PTR,
        /** {@code int}: {@code .param .u32}. */ I32,
        /** {@code long long}: {@code .param .u64} (PTX does not tell it from a pointer). */ I64,
        /** {@code float}: {@code .param .f32}. */ F32,
        /** {@code double}: {@code .param .f64}. */ F64,
        /** common.cuh's {@code Layout} struct by value: {@code .param .align 8 .b8 name[104]}. */ LAYOUT
    }

    public EntryPoint {
        params = List.copyOf(params);
    }

    public static EntryPoint of(String file, String name, Param... params) { return new EntryPoint(file, name, List.of(params)); }

    /** The same parameters followed by more, under another name (a kernel's *_drop twin). */
    public EntryPoint with(String name, Param... more) {
        Param[] all = params.toArray(new Param[params.size() + more.length]);
        System.arraycopy(more, 0, all, params.size(), more.length);
        return of(file, name, all);
    }

    /** An empty argument list for one launch of this entry point. */
    public KernelArgs args() { return new KernelArgs(this); }

    @Override public String toString() { return file + ".cu " + name + params; }
}
