package dev.groundwork.kernels.nccl;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NCCL binding where libnccl is found (GW_NCCL_LIB, CUDA_HOME, system folders, a Python
 * environment's nvidia/nccl/lib): every bound symbol exists, the version is an NCCL 2 version, and a
 * unique id comes back; no GPU needed. Skipped, saying where it looked, where the library is absent.
 */
class NcclBindingTest {
    /** Looked up once: the search walks Python environments' folders. */
    private static final java.util.Optional<Path> FOUND = Nccl.find();

    private static Path library() {
        assumeTrue(FOUND.isPresent(), () -> "NCCL binding test skipped: no libnccl.so.N in GW_NCCL_LIB, GW_CUDA_LIBS, CUDA_HOME, the system"
                + " library folders or a Python environment's nvidia/nccl/lib (PyTorch's CUDA wheels ship one)");
        return FOUND.get();
    }

    @Test
    void everyBoundSymbolIsInTheLibrary() {
        SymbolLookup lib = SymbolLookup.libraryLookup(library(), Arena.global());
        for (String s : Nccl.symbols()) assertTrue(lib.find(s).isPresent(), s + " missing from " + library());
    }

    @Test
    void versionAndUniqueIdWithoutAGpu() {
        library();
        Nccl nccl = Nccl.load();
        int v = nccl.version();
        assertTrue(v >= 20000 && v < 30000, "NCCL version code " + v + " is not an NCCL 2.x code");
        // ncclAvg (the AVERAGE all-reduce) needs 2.10.
        assertTrue(v >= 21000, "NCCL " + Nccl.versionString(v) + " predates ncclAvg (2.10)");
        byte[] id = nccl.uniqueId();
        assertEquals(Nccl.UNIQUE_ID_BYTES, id.length);
        boolean any = false;
        for (byte b : id) any |= b != 0;
        assertTrue(any, "an all-zero unique id");
    }

    @Test
    void versionStrings() {
        assertEquals("2.21.5", Nccl.versionString(22105));
        assertEquals("2.8.4", Nccl.versionString(2804));
    }
}
