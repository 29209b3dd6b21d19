package dev.groundwork.kernels.cuda;

import dev.groundwork.kernels.blas.NativeLibraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Library lookup picks the newest major version in a folder, ignoring look-alike names. */
class NativeLibrariesTest {
    @Test
    void newestMajorWinsAndLookalikesAreIgnored(@TempDir Path dir) throws Exception {
        for (String n : new String[]{"libcublas.so.12", "libcublas.so.13.1.0.3", "libcublas.so.13", "libcublasLt.so.14", "libcublas.so"})
            Files.createFile(dir.resolve(n));
        Path p = NativeLibraries.findIn(dir, "cublas").orElseThrow();
        assertTrue(p.getFileName().toString().startsWith("libcublas.so.13"), p.toString());
        assertEquals("libcublasLt.so.14", NativeLibraries.findIn(dir, "cublasLt").orElseThrow().getFileName().toString());
        assertTrue(NativeLibraries.findIn(dir, "cudnn").isEmpty());
    }
}
