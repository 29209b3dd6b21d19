package dev.groundwork.kernels.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Whether a CUDA driver and device are usable here, and if not, why: JCuda's natives need
 * libcuda.so.1 (installed with the NVIDIA driver, not with the toolkit).
 */
public final class DriverProbe {
    private DriverProbe() {}

    private static volatile String failure;
    private static volatile boolean probed;

    /** Empty when at least one device can be used; otherwise what is missing. */
    public static synchronized String unavailableReason() {
        if (probed) return failure == null ? "" : failure;
        probed = true;
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                failure = "CUDA driver present but cuInit failed: " + CUresult.stringFor(rc)
                        + (rc == CUresult.CUDA_ERROR_NO_DEVICE ? " (no CUDA device)" : "");
                return failure;
            }
            int[] n = new int[1];
            rc = JCudaDriver.cuDeviceGetCount(n);
            if (rc != CUresult.CUDA_SUCCESS || n[0] == 0) failure = "no CUDA device (cuDeviceGetCount reports " + n[0] + ")";
        } catch (UnsatisfiedLinkError e) {
            failure = "no CUDA driver: JCuda's native library could not load (" + firstLine(e.getMessage())
                    + "); libcuda.so.1 comes with the NVIDIA driver";
        } catch (Throwable e) {
            failure = "CUDA driver could not be initialised: " + e;
        }
        return failure == null ? "" : failure;
    }

    public static void requireDriver() {
        String why = unavailableReason();
        if (!why.isEmpty()) throw new IllegalStateException(why);
    }

    private static String firstLine(String s) {
        if (s == null) return "no message";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
