package dev.groundwork.kernels.dnn;

import dev.groundwork.kernels.blas.Ffm;
import dev.groundwork.kernels.blas.NativeLibraries;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.*;

/**
 * cuDNN's legacy convolution API through FFM (JCudnn 11.7 needs libcudnn.so.8; the GPU host has
 * cuDNN 9, whose libcudnn.so.9 still exports these entry points). Holds one handle on the
 * backend's compute stream and the downcall handles {@link CudnnConv} uses.
 */
public final class Cudnn {
    static final int FLOAT = 0, NCHW = 0, CROSS_CORRELATION = 1;
    static final int DEFAULT_MATH = 0, FMA_MATH = 3;

    final Ffm lib;
    final MemorySegment handle;
    private final long version;
    final MethodHandle createTensor, setTensor4d, destroyTensor, createFilter, setFilter4d, destroyFilter,
            createConv, setConv2d, setMathType, destroyConv,
            fwdAlgo, fwdWs, fwd, bwdDataAlgo, bwdDataWs, bwdData, bwdFilterAlgo, bwdFilterWs, bwdFilter, errorString;

    private Cudnn(Ffm lib, long stream) {
        this.lib = lib;
        var I = JAVA_INT;
        try {
            MethodHandle getVersion = lib.handle("cudnnGetVersion", FunctionDescriptor.of(JAVA_LONG));
            version = (long) getVersion.invokeExact();
            errorString = lib.handle("cudnnGetErrorString", FunctionDescriptor.of(ADDRESS, I));
            MethodHandle create = lib.handle("cudnnCreate", FunctionDescriptor.of(I, ADDRESS));
            MethodHandle setStream = lib.handle("cudnnSetStream", FunctionDescriptor.of(I, ADDRESS, ADDRESS));
            createTensor = lib.handle("cudnnCreateTensorDescriptor", FunctionDescriptor.of(I, ADDRESS));
            setTensor4d = lib.handle("cudnnSetTensor4dDescriptor", FunctionDescriptor.of(I, ADDRESS, I, I, I, I, I, I));
            destroyTensor = lib.handle("cudnnDestroyTensorDescriptor", FunctionDescriptor.of(I, ADDRESS));
            createFilter = lib.handle("cudnnCreateFilterDescriptor", FunctionDescriptor.of(I, ADDRESS));
            setFilter4d = lib.handle("cudnnSetFilter4dDescriptor", FunctionDescriptor.of(I, ADDRESS, I, I, I, I, I, I));
            destroyFilter = lib.handle("cudnnDestroyFilterDescriptor", FunctionDescriptor.of(I, ADDRESS));
            createConv = lib.handle("cudnnCreateConvolutionDescriptor", FunctionDescriptor.of(I, ADDRESS));
            setConv2d = lib.handle("cudnnSetConvolution2dDescriptor", FunctionDescriptor.of(I, ADDRESS, I, I, I, I, I, I, I, I));
            setMathType = lib.handle("cudnnSetConvolutionMathType", FunctionDescriptor.of(I, ADDRESS, I));
            destroyConv = lib.handle("cudnnDestroyConvolutionDescriptor", FunctionDescriptor.of(I, ADDRESS));
            FunctionDescriptor algoV7 = FunctionDescriptor.of(I, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, I, ADDRESS, ADDRESS);
            FunctionDescriptor wsSize = FunctionDescriptor.of(I, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, I, ADDRESS);
            FunctionDescriptor run = FunctionDescriptor.of(I, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, I,
                    ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS);
            fwdAlgo = lib.handle("cudnnGetConvolutionForwardAlgorithm_v7", algoV7);
            fwdWs = lib.handle("cudnnGetConvolutionForwardWorkspaceSize", wsSize);
            fwd = lib.handle("cudnnConvolutionForward", run);
            bwdDataAlgo = lib.handle("cudnnGetConvolutionBackwardDataAlgorithm_v7", algoV7);
            bwdDataWs = lib.handle("cudnnGetConvolutionBackwardDataWorkspaceSize", wsSize);
            bwdData = lib.handle("cudnnConvolutionBackwardData", run);
            bwdFilterAlgo = lib.handle("cudnnGetConvolutionBackwardFilterAlgorithm_v7", algoV7);
            bwdFilterWs = lib.handle("cudnnGetConvolutionBackwardFilterWorkspaceSize", wsSize);
            bwdFilter = lib.handle("cudnnConvolutionBackwardFilter", run);
            MemorySegment hp = Arena.global().allocate(ADDRESS);
            check((int) create.invokeExact(hp), "cudnnCreate");
            handle = hp.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cudnnSetStream");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuDNN binding failed for " + lib.library(), t);
        }
    }

    /** Loads the newest libcudnn.so.N found and creates a handle on {@code stream}. */
    public static Cudnn open(long stream) {
        Path p = NativeLibraries.find("cudnn").orElseThrow(() -> new IllegalStateException(
                "libcudnn.so.N not found; searched " + NativeLibraries.searchPath() + " (set " + NativeLibraries.ENV + " to its folder)"));
        return new Cudnn(new Ffm(p), stream);
    }

    public Path library() { return lib.library(); }

    /** e.g. 91900 for 9.19.0. */
    public long version() { return version; }

    void check(int rc, String op) {
        if (rc == 0) return;
        String msg;
        try {
            msg = ((MemorySegment) errorString.invokeExact(rc)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            msg = "status " + rc;
        }
        throw new IllegalStateException(op + " failed: " + msg + " (" + rc + ")");
    }
}
