package dev.groundwork.engine.dist;

import dev.groundwork.engine.settings.Settings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Open MPI's C ABI through FFM: the functions {@link MpiCommunicator} calls and the predefined
 * handles it passes. In Open MPI a handle such as {@code MPI_COMM_WORLD}, {@code MPI_FLOAT} or
 * {@code MPI_SUM} is the address of a global object ({@code &ompi_mpi_comm_world}), so each is bound by
 * symbol lookup; MPICH's handles are integer constants of another ABI, which is refused by name.
 * Open MPI's own Java bindings are deprecated upstream, hence the C ABI.
 *
 * <p>The library is {@code GW_MPI_LIB} (a file, or a folder holding libmpi.so.N), else the newest
 * {@code libmpi.so.N} in the usual folders (Debian's {@code openmpi-bin libopenmpi-dev}, RPM
 * distributions' {@code /usr/lib64/openmpi/lib}, {@code MPI_HOME}, {@code OPAL_PREFIX}). It is opened
 * with {@code RTLD_GLOBAL}: Open MPI's plugins, loaded later by the library itself, resolve their
 * symbols against it.
 */
final class MpiLibrary {
    /** MPI_THREAD_SERIALIZED in Open MPI's mpi.h: any thread may call, never two at once. */
    static final int THREAD_SERIALIZED = 2;
    private static final int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;

    final Path path;
    final MemorySegment commWorld, opSum, tFloat, tDouble, tInt64, tInt, tByte;
    final MethodHandle initialized, finalized, initThread, finalizeFn, commRank, commSize, abort, getLibraryVersion,
            iallreduce, ireduceScatterBlock, iallgather, ibcast, ibarrier, test, cancel, requestFree;

    private static MpiLibrary loaded;

    /** The process's one binding (MPI is initialised once per process). */
    static synchronized MpiLibrary load() {
        if (loaded == null) loaded = new MpiLibrary(find());
        return loaded;
    }

    private MpiLibrary(Path path) {
        this.path = path;
        dlopenGlobal(path);
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        if (lib.find("ompi_mpi_comm_world").isEmpty())
            throw new CommunicatorException(path + " is not Open MPI (no ompi_mpi_comm_world): Groundwork binds Open MPI's C ABI;"
                    + " MPICH and its derivatives use integer handles of another ABI (set GW_MPI_LIB to an Open MPI libmpi.so)");
        commWorld = symbol(lib, "ompi_mpi_comm_world");
        opSum = symbol(lib, "ompi_mpi_op_sum");
        tFloat = symbol(lib, "ompi_mpi_float");
        tDouble = symbol(lib, "ompi_mpi_double");
        tInt64 = symbol(lib, "ompi_mpi_int64_t");
        tInt = symbol(lib, "ompi_mpi_int");
        tByte = symbol(lib, "ompi_mpi_byte");
        Linker l = Linker.nativeLinker();
        initialized = l.downcallHandle(symbol(lib, "MPI_Initialized"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        finalized = l.downcallHandle(symbol(lib, "MPI_Finalized"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        initThread = l.downcallHandle(symbol(lib, "MPI_Init_thread"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        finalizeFn = l.downcallHandle(symbol(lib, "MPI_Finalize"), FunctionDescriptor.of(JAVA_INT));
        commRank = l.downcallHandle(symbol(lib, "MPI_Comm_rank"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        commSize = l.downcallHandle(symbol(lib, "MPI_Comm_size"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        abort = l.downcallHandle(symbol(lib, "MPI_Abort"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        getLibraryVersion = l.downcallHandle(symbol(lib, "MPI_Get_library_version"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // int MPI_Iallreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Request *)
        iallreduce = l.downcallHandle(symbol(lib, "MPI_Iallreduce"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        // int MPI_Ireduce_scatter_block(const void *sendbuf, void *recvbuf, int recvcount, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Request *)
        ireduceScatterBlock = l.downcallHandle(symbol(lib, "MPI_Ireduce_scatter_block"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        // int MPI_Iallgather(const void *sendbuf, int sendcount, MPI_Datatype, void *recvbuf, int recvcount, MPI_Datatype, MPI_Comm, MPI_Request *)
        iallgather = l.downcallHandle(symbol(lib, "MPI_Iallgather"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        // int MPI_Ibcast(void *buffer, int count, MPI_Datatype, int root, MPI_Comm, MPI_Request *)
        ibcast = l.downcallHandle(symbol(lib, "MPI_Ibcast"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        ibarrier = l.downcallHandle(symbol(lib, "MPI_Ibarrier"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // int MPI_Test(MPI_Request *, int *flag, MPI_Status *)
        test = l.downcallHandle(symbol(lib, "MPI_Test"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cancel = l.downcallHandle(symbol(lib, "MPI_Cancel"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        requestFree = l.downcallHandle(symbol(lib, "MPI_Request_free"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new CommunicatorException(name + " not found in " + path + " (is it Open MPI 4 or newer?)"));
    }

    /** dlopen(path, RTLD_NOW | RTLD_GLOBAL) through libc, so the plugins Open MPI loads see its symbols. */
    private static void dlopenGlobal(Path path) {
        Linker l = Linker.nativeLinker();
        Optional<MemorySegment> dlopen = l.defaultLookup().find("dlopen");
        if (dlopen.isEmpty()) return; // a libc without dlopen in its default lookup: plain libraryLookup only
        MethodHandle h = l.downcallHandle(dlopen.get(), FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) h.invokeExact(a.allocateFrom(path.toString()), RTLD_NOW | RTLD_GLOBAL);
            if (handle.address() == 0) throw new CommunicatorException("dlopen of " + path + " failed (a dependency of Open MPI missing?)");
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable t) {
            throw new CommunicatorException("dlopen of " + path + " failed", t);
        }
    }

    /** GW_MPI_LIB, else the newest libmpi.so.N of the usual folders. */
    static Path find() {
        List<Path> dirs = new ArrayList<>();
        Optional<Path> env = Settings.current().mpiLib();
        if (env.isPresent()) {
            if (Files.isRegularFile(env.get())) return env.get();
            dirs.add(env.get());
        }
        for (String var : new String[]{"MPI_HOME", "OPAL_PREFIX"}) {
            String h = System.getenv(var);
            if (h != null && !h.isBlank()) dirs.add(Path.of(h, "lib"));
        }
        for (String d : new String[]{"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64/openmpi/lib",
                "/usr/lib/openmpi/lib", "/usr/local/lib", "/opt/openmpi/lib", "/usr/lib64", "/usr/lib"})
            dirs.add(Path.of(d));
        for (Path d : dirs) {
            Optional<Path> hit = newest(d);
            if (hit.isPresent()) return hit.get();
        }
        throw new CommunicatorException("libmpi.so.N (Open MPI) not found; searched " + dirs
                + " (on Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; or set GW_MPI_LIB)");
    }

    private static Optional<Path> newest(Path dir) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("libmpi\\.so\\.\\d+(\\.[\\d.]+)?"))
                    .min(java.util.Comparator.comparingInt((Path f) -> -major(f)).thenComparingInt(f -> f.getFileName().toString().length()));
        } catch (java.io.IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static int major(Path f) {
        String n = f.getFileName().toString().substring("libmpi.so.".length());
        int dot = n.indexOf('.');
        return Integer.parseInt(dot < 0 ? n : n.substring(0, dot));
    }
}
