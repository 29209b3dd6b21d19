package dev.groundwork.kernels.cuda;

import jcuda.driver.CUresult;

/**
 * Checks CUDA driver return codes. JCuda's own exceptions name the error but not the call, so the
 * backend keeps them off and every call goes through {@link #check}, which names both.
 */
public final class Cu {
    private Cu() {}

    public static void check(int rc, String operation) {
        if (rc != CUresult.CUDA_SUCCESS) throw new CudaException(operation, rc);
    }

    /** A failed driver call: the operation and the driver's error name. */
    public static final class CudaException extends RuntimeException {
        private final int code;

        public CudaException(String operation, int code) {
            super(operation + " failed: " + CUresult.stringFor(code) + " (" + code + ")");
            this.code = code;
        }

        public int code() { return code; }

        public boolean isOutOfMemory() { return code == CUresult.CUDA_ERROR_OUT_OF_MEMORY; }
    }
}
