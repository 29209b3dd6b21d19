package dev.groundwork.kernels.nccl;

import dev.groundwork.engine.dist.CommunicatorException;
import dev.groundwork.engine.settings.Settings;
import dev.groundwork.kernels.blas.Ffm;
import dev.groundwork.kernels.blas.NativeLibraries;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NCCL through FFM, from {@code nccl.h}: the version, the unique id, communicator set-up and teardown,
 * and the four collectives on device buffers. JCuda has no NCCL binding. {@code ncclGetVersion} and
 * {@code ncclGetUniqueId} need no GPU, so the binding is testable wherever the library is.
 *
 * <p>The library: {@code GW_NCCL_LIB} (the file, or a folder holding libnccl.so.N), else the newest
 * {@code libnccl.so.N} on {@link NativeLibraries}' path ({@code GW_CUDA_LIBS}, {@code CUDA_HOME}, the
 * system folders, Python environments' {@code nvidia/nccl/lib}, where PyTorch's wheel puts it).
 */
public final class Nccl {
    /** ncclDataType_t. */
    public static final int INT32 = 2, INT64 = 4, FLOAT32 = 7, FLOAT64 = 8;
    /** ncclRedOp_t: ncclAvg exists from NCCL 2.10. */
    public static final int SUM = 0, AVG = 4;
    /** NCCL_UNIQUE_ID_BYTES. */
    public static final int UNIQUE_ID_BYTES = 128;
    /** ncclInProgress: an operation of a non-blocking communicator still running. */
    static final int IN_PROGRESS = 7;
    /** ncclUniqueId is a struct of 128 chars, passed by value to ncclCommInitRank. */
    static final MemoryLayout UNIQUE_ID = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(UNIQUE_ID_BYTES, JAVA_BYTE).withName("internal"));

    private static Nccl loaded;

    private final Ffm lib;
    final MethodHandle getVersion, getUniqueId, commInitRank, commDestroy, commAbort, commGetAsyncError, getErrorString,
            allReduce, allGather, reduceScatter, broadcast;

    private Nccl(Path path) {
        this.lib = new Ffm(path);
        getVersion = lib.handle("ncclGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getUniqueId = lib.handle("ncclGetUniqueId", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // ncclResult_t ncclCommInitRank(ncclComm_t* comm, int nranks, ncclUniqueId commId, int rank)
        commInitRank = lib.handle("ncclCommInitRank", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, UNIQUE_ID, JAVA_INT));
        commDestroy = lib.handle("ncclCommDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        commAbort = lib.handle("ncclCommAbort", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        commGetAsyncError = lib.handle("ncclCommGetAsyncError", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getErrorString = lib.handle("ncclGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        // (sendbuff, recvbuff, size_t count, ncclDataType_t, ncclRedOp_t, ncclComm_t, cudaStream_t)
        allReduce = lib.handle("ncclAllReduce", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        // (sendbuff, recvbuff, size_t sendcount, ncclDataType_t, ncclComm_t, cudaStream_t)
        allGather = lib.handle("ncclAllGather", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
        // (sendbuff, recvbuff, size_t recvcount, ncclDataType_t, ncclRedOp_t, ncclComm_t, cudaStream_t)
        reduceScatter = lib.handle("ncclReduceScatter", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        // (sendbuff, recvbuff, size_t count, ncclDataType_t, int root, ncclComm_t, cudaStream_t)
        broadcast = lib.handle("ncclBroadcast", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /** The process's binding, loading the library on first use. */
    public static synchronized Nccl load() {
        if (loaded == null) loaded = new Nccl(find().orElseThrow(() -> new CommunicatorException(
                "libnccl.so.N not found; searched " + (Settings.current().ncclLib().map(p -> p + ", ").orElse("")) + NativeLibraries.searchPath()
                        + " (set GW_NCCL_LIB to the library or its folder; PyTorch's wheel ships one under site-packages/nvidia/nccl/lib)")));
        return loaded;
    }

    /** Where the library is, if anywhere: GW_NCCL_LIB, then the CUDA library path. */
    public static Optional<Path> find() {
        Optional<Path> env = Settings.current().ncclLib();
        if (env.isPresent()) {
            if (Files.isRegularFile(env.get())) return env;
            Optional<Path> in = NativeLibraries.findIn(env.get(), "nccl");
            if (in.isPresent()) return in;
        }
        return NativeLibraries.find("nccl");
    }

    public Path library() { return lib.library(); }

    /** Symbols bound (for the binding test). */
    public static List<String> symbols() {
        return List.of("ncclGetVersion", "ncclGetUniqueId", "ncclCommInitRank", "ncclCommDestroy", "ncclCommAbort", "ncclCommGetAsyncError",
                "ncclGetErrorString", "ncclAllReduce", "ncclAllGather", "ncclReduceScatter", "ncclBroadcast");
    }

    /** e.g. 22105 for 2.21.5 (NCCL_VERSION_CODE: major·10000 + minor·100 + patch from 2.9). */
    public int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check((int) getVersion.invokeExact(v), "ncclGetVersion");
            return v.get(JAVA_INT, 0);
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable t) {
            throw new CommunicatorException("ncclGetVersion failed in " + library(), t);
        }
    }

    /** "2.21.5" from {@link #version()}. */
    public static String versionString(int code) {
        return code >= 10000 ? (code / 10000) + "." + (code / 100 % 100) + "." + (code % 100) : (code / 1000) + "." + (code / 100 % 10) + "." + (code % 100);
    }

    /** A fresh ncclUniqueId (rank 0 makes it; the others receive it through the bootstrap). */
    public byte[] uniqueId() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment id = a.allocate(UNIQUE_ID);
            check((int) getUniqueId.invokeExact(id), "ncclGetUniqueId");
            return id.toArray(JAVA_BYTE);
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable t) {
            throw new CommunicatorException("ncclGetUniqueId failed in " + library(), t);
        }
    }

    void check(int rc, String call) {
        if (rc != 0) throw new CommunicatorException(call + " failed: " + error(rc));
    }

    String error(int rc) {
        try {
            MemorySegment s = (MemorySegment) getErrorString.invokeExact(rc);
            return s.reinterpret(256).getString(0) + " (ncclResult " + rc + ")";
        } catch (Throwable t) {
            return "ncclResult " + rc;
        }
    }
}
