package dev.groundwork.kernels.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.*;

/**
 * cuBLAS through FFM: one handle bound to the backend's compute stream, and the one entry point the
 * backend needs, {@code cublasGemmEx} / {@code cublasGemmStridedBatchedEx} (column-major; callers
 * translate row-major).
 * The library is whichever libcublas.so.N {@link NativeLibraries} finds (13 on the GPU host).
 */
public final class Cublas {
    // cudaDataType / cublasComputeType_t / cublasOperation_t values from the CUDA headers.
    public static final int R_32F = 0, R_16BF = 14;
    public static final int COMPUTE_32F = 68, COMPUTE_32F_FAST_TF32 = 77;
    public static final int OP_N = 0, OP_T = 1;
    private static final int GEMM_DEFAULT = -1;

    private final Ffm lib;
    private final MemorySegment handle;
    private final MethodHandle gemm, gemmSingle, getVersion;
    private final int version;

    private Cublas(Ffm lib, long stream) {
        this.lib = lib;
        try {
            MethodHandle create = lib.handle("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle setStream = lib.handle("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            getVersion = lib.handle("cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            gemm = lib.handle("cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT,
                    ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                    ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                    JAVA_INT, JAVA_INT, JAVA_INT));
            gemmSingle = lib.handle("cublasGemmEx", FunctionDescriptor.of(JAVA_INT,
                    ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                    ADDRESS, JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_INT));
            MemorySegment hp = Arena.global().allocate(ADDRESS);
            check((int) create.invokeExact(hp), "cublasCreate");
            handle = hp.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream");
            MemorySegment v = Arena.global().allocate(JAVA_INT);
            check((int) getVersion.invokeExact(handle, v), "cublasGetVersion");
            version = v.get(JAVA_INT, 0);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS binding failed for " + lib.library(), t);
        }
    }

    /** Loads libcublasLt then libcublas (newest found) and creates a handle on {@code stream}. */
    public static Cublas open(long stream) {
        Path blas = NativeLibraries.find("cublas").orElseThrow(() -> new IllegalStateException(
                "libcublas.so.N not found; searched " + NativeLibraries.searchPath() + " (set " + NativeLibraries.ENV + " to its folder)"));
        // libcublas needs libcublasLt of the same release; load it from the same folder first, so
        // the dependency resolves by soname even where the library has no RUNPATH.
        NativeLibraries.findIn(blas.getParent(), "cublasLt").ifPresent(Ffm::new);
        return new Cublas(new Ffm(blas), stream);
    }

    public Path library() { return lib.library(); }

    /** e.g. 130100 for 13.1.0. */
    public int version() { return version; }

    /**
     * Column-major C[m,n] = alpha op(A) op(B) + beta C over {@code batch} matrices with the given
     * element strides between them (0 broadcasts one matrix). Pointers are device addresses.
     */
    public void gemm(int transA, int transB, int m, int n, int k, float alpha,
                     long a, int aType, int lda, long strideA, long b, int bType, int ldb, long strideB,
                     float beta, long c, int cType, int ldc, long strideC, int batch, int computeType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = arena.allocate(JAVA_FLOAT), be = arena.allocate(JAVA_FLOAT);
            al.set(JAVA_FLOAT, 0, alpha);
            be.set(JAVA_FLOAT, 0, beta);
            // One matrix: cublasGemmEx, the entry point frameworks use for mm, whose heuristics pick
            // the large-GEMM kernels the batched entry point does not always choose.
            int rc = batch == 1
                    ? (int) gemmSingle.invokeExact(handle, transA, transB, m, n, k, al,
                            MemorySegment.ofAddress(a), aType, lda, MemorySegment.ofAddress(b), bType, ldb, be,
                            MemorySegment.ofAddress(c), cType, ldc, computeType, GEMM_DEFAULT)
                    : (int) gemm.invokeExact(handle, transA, transB, m, n, k, al,
                            MemorySegment.ofAddress(a), aType, lda, strideA,
                            MemorySegment.ofAddress(b), bType, ldb, strideB, be,
                            MemorySegment.ofAddress(c), cType, ldc, strideC, batch, computeType, GEMM_DEFAULT);
            if (rc != 0) throw new IllegalStateException(String.format(
                    (batch == 1 ? "cublasGemmEx" : "cublasGemmStridedBatchedEx") + "(m=%d n=%d k=%d batch=%d ta=%d tb=%d lda=%d ldb=%d ldc=%d compute=%d) failed: %s",
                    m, n, k, batch, transA, transB, lda, ldb, ldc, computeType, status(rc)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cublasGemmStridedBatchedEx call failed", t);
        }
    }

    private static void check(int rc, String op) {
        if (rc != 0) throw new IllegalStateException(op + " failed: " + status(rc));
    }

    static String status(int rc) {
        return switch (rc) {
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            default -> "cublasStatus " + rc;
        } + " (" + rc + ")";
    }
}
