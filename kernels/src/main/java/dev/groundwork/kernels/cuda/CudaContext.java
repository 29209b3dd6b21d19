package dev.groundwork.kernels.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

import static jcuda.driver.JCudaDriver.*;

/**
 * One device's driver state: its primary context (shared with cuBLAS and cuDNN, which use the
 * runtime API and therefore the primary context), a compute stream that every kernel, GEMM and
 * convolution of the backend is ordered on, and a copy stream for host transfers through pinned
 * staging buffers, ordered against the compute stream by events.
 */
public final class CudaContext {
    private final int index;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final RawStream compute = new RawStream(), copy = new RawStream();
    private final String name;
    private final int ccMajor, ccMinor, multiprocessors;
    private final long totalMemory;
    private final HostStaging staging;

    private CudaContext(int index) {
        this.index = index;
        Cu.check(cuDeviceGet(device, index), "cuDeviceGet(" + index + ")");
        Cu.check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain(device " + index + ")");
        makeCurrent();
        byte[] n = new byte[256];
        Cu.check(cuDeviceGetName(n, n.length, device), "cuDeviceGetName");
        String s = new String(n, java.nio.charset.StandardCharsets.US_ASCII);
        this.name = s.substring(0, Math.max(0, s.indexOf(0) < 0 ? s.length() : s.indexOf(0))).trim();
        this.ccMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.ccMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        long[] mem = new long[1];
        Cu.check(cuDeviceTotalMem(mem, device), "cuDeviceTotalMem");
        this.totalMemory = mem[0];
        Cu.check(cuStreamCreate(compute, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate(compute)");
        Cu.check(cuStreamCreate(copy, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate(copy)");
        this.staging = new HostStaging(this);
    }

    /** Initialises the driver and opens device {@code index}; errors name what is missing. */
    public static CudaContext open(int index) {
        DriverProbe.requireDriver();
        int[] count = new int[1];
        Cu.check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (index >= count[0])
            throw new IllegalStateException("CUDA device " + index + " requested, but the driver reports " + count[0] + " device(s)");
        return new CudaContext(index);
    }

    private int attribute(int attr) {
        int[] v = new int[1];
        Cu.check(cuDeviceGetAttribute(v, attr, device), "cuDeviceGetAttribute(" + attr + ")");
        return v[0];
    }

    /** Binds the context to the calling thread (cheap; the driver keeps one current context per thread). */
    public void makeCurrent() {
        Cu.check(cuCtxSetCurrent(context), "cuCtxSetCurrent(device " + index + ")");
    }

    public int index() { return index; }

    public String name() { return name; }

    public int computeCapability() { return ccMajor * 10 + ccMinor; }

    public int multiprocessors() { return multiprocessors; }

    public long totalMemory() { return totalMemory; }

    public CUstream computeStream() { return compute; }

    /** The compute stream's native handle, for cuBLAS/cuDNN's setStream. */
    public long computeStreamAddress() { return compute.address(); }

    CUstream copyStream() { return copy; }

    public HostStaging staging() { return staging; }

    /** Blocks until all work on the compute stream is done. */
    public void synchronize() {
        Cu.check(cuStreamSynchronize(compute), "cuStreamSynchronize(compute)");
    }

    /** Makes {@code waiter} wait for all work queued so far on {@code signaller}. */
    void order(CUstream signaller, CUstream waiter) {
        CUevent e = new CUevent();
        Cu.check(cuEventCreate(e, jcuda.driver.CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        Cu.check(cuEventRecord(e, signaller), "cuEventRecord");
        Cu.check(cuStreamWaitEvent(waiter, e, 0), "cuStreamWaitEvent");
        Cu.check(cuEventDestroy(e), "cuEventDestroy");
    }

    /** A CUstream that exposes its native handle (protected in JCuda). */
    static final class RawStream extends CUstream {
        long address() { return getNativePointer(); }
    }

    static Pointer host(Object array) {
        return switch (array) {
            case float[] a -> Pointer.to(a);
            case double[] a -> Pointer.to(a);
            case long[] a -> Pointer.to(a);
            case int[] a -> Pointer.to(a);
            default -> throw new IllegalArgumentException("unsupported host array " + array.getClass());
        };
    }

}
