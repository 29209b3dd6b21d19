package dev.groundwork.kernels.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Raw device addresses and JCuda pointers. The backend keeps addresses as longs (they go into
 * kernel parameters and FFM calls as such); JCuda's driver calls want a CUdeviceptr, whose address
 * field is protected, so this subclass reads and sets it.
 */
public final class DevicePointers {
    private DevicePointers() {}

    /** A CUdeviceptr whose native address can be read back. */
    public static final class Raw extends CUdeviceptr {
        public long address() { return getNativePointer(); }
    }

    private static final Raw ZERO = new Raw();

    /** A CUdeviceptr pointing at {@code address}. */
    public static CUdeviceptr of(long address) { return ZERO.withByteOffset(address); }
}
