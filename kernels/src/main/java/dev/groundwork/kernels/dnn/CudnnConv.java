package dev.groundwork.kernels.dnn;

import dev.groundwork.kernels.memory.DeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

import static java.lang.foreign.ValueLayout.*;

/**
 * NCHW float32 convolution through cuDNN: forward, backward-data, backward-filter. Descriptors and
 * the algorithms cuDNN's heuristics pick (cudnnGet*Algorithm_v7) are cached per geometry; each
 * call takes its workspace from the caching allocator. TF32 on: the math type the heuristic
 * reports for its choice (tensor cores allowed); off: FMA math, plain fp32.
 */
public final class CudnnConv {
    /** x [n, c, h, w], weight [k, c, r, s], stride, padding; the output size follows. */
    public record Geometry(int n, int c, int h, int w, int k, int r, int s, int sh, int sw, int ph, int pw, boolean tf32) {
        int oh() { return (h + 2 * ph - r) / sh + 1; }
        int ow() { return (w + 2 * pw - s) / sw + 1; }
    }

    private record Algo(int algo, long workspace, int mathType) {}

    private final class Plan {
        final MemorySegment x, y, wDesc, conv;
        Algo forward, backwardData, backwardFilter;

        Plan(Geometry g) throws Throwable {
            x = tensor(g.n(), g.c(), g.h(), g.w());
            y = tensor(g.n(), g.k(), g.oh(), g.ow());
            MemorySegment p = arena.allocate(ADDRESS);
            dnn.check((int) dnn.createFilter.invokeExact(p), "cudnnCreateFilterDescriptor");
            wDesc = p.get(ADDRESS, 0);
            dnn.check((int) dnn.setFilter4d.invokeExact(wDesc, Cudnn.FLOAT, Cudnn.NCHW, g.k(), g.c(), g.r(), g.s()), "cudnnSetFilter4dDescriptor");
            dnn.check((int) dnn.createConv.invokeExact(p), "cudnnCreateConvolutionDescriptor");
            conv = p.get(ADDRESS, 0);
            dnn.check((int) dnn.setConv2d.invokeExact(conv, g.ph(), g.pw(), g.sh(), g.sw(), 1, 1, Cudnn.CROSS_CORRELATION, Cudnn.FLOAT),
                    "cudnnSetConvolution2dDescriptor");
            dnn.check((int) dnn.setMathType.invokeExact(conv, g.tf32() ? Cudnn.DEFAULT_MATH : Cudnn.FMA_MATH), "cudnnSetConvolutionMathType");
        }

        MemorySegment tensor(int n, int c, int h, int w) throws Throwable {
            MemorySegment p = arena.allocate(ADDRESS);
            dnn.check((int) dnn.createTensor.invokeExact(p), "cudnnCreateTensorDescriptor");
            MemorySegment d = p.get(ADDRESS, 0);
            dnn.check((int) dnn.setTensor4d.invokeExact(d, Cudnn.NCHW, Cudnn.FLOAT, n, c, h, w), "cudnnSetTensor4dDescriptor");
            return d;
        }
    }

    private final Cudnn dnn;
    private final Arena arena = Arena.ofShared();
    private final Map<Geometry, Plan> plans = new HashMap<>();
    private final LongFunction<DeviceBuffer> workspace;

    public CudnnConv(Cudnn dnn, LongFunction<DeviceBuffer> workspace) {
        this.dnn = dnn;
        this.workspace = workspace;
    }

    private static final int PERF_BYTES = 48, MAX_ALGOS = 16;
    /** Workspaces above this are skipped in favour of the next algorithm. */
    private static final long MAX_WORKSPACE = 4L << 30;

    /** Picks the first algorithm the heuristic ranks that succeeded and fits the workspace limit. */
    private Algo choose(MethodHandle get, MethodHandle wsSize, MemorySegment a, MemorySegment b, MemorySegment conv, MemorySegment c,
                        boolean tf32, String what) throws Throwable {
        MemorySegment count = arena.allocate(JAVA_INT), perf = arena.allocate((long) PERF_BYTES * MAX_ALGOS, 8);
        dnn.check((int) get.invokeExact(dnn.handle, a, b, conv, c, MAX_ALGOS, count, perf), what);
        for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
            long base = (long) i * PERF_BYTES;
            int algo = perf.get(JAVA_INT, base), status = perf.get(JAVA_INT, base + 4), math = perf.get(JAVA_INT, base + 28);
            long mem = perf.get(JAVA_LONG, base + 16);
            if (status != 0 || mem > MAX_WORKSPACE) continue;
            if (!tf32 && math != Cudnn.FMA_MATH && math != Cudnn.DEFAULT_MATH) continue;
            MemorySegment ws = arena.allocate(JAVA_LONG);
            dnn.check((int) dnn.setMathType.invokeExact(conv, tf32 ? math : Cudnn.FMA_MATH), "cudnnSetConvolutionMathType");
            dnn.check((int) wsSize.invokeExact(dnn.handle, a, b, conv, c, algo, ws), what + " workspace size");
            return new Algo(algo, ws.get(JAVA_LONG, 0), tf32 ? math : Cudnn.FMA_MATH);
        }
        throw new IllegalStateException(what + ": cuDNN offers no usable algorithm");
    }

    private Plan plan(Geometry g) throws Throwable {
        Plan p = plans.get(g);
        if (p == null) {
            p = new Plan(g);
            plans.put(g, p);
        }
        return p;
    }

    private void run(MethodHandle fn, Plan p, Algo algo, MemorySegment d1, long a1, MemorySegment d2, long a2, float beta,
                     MemorySegment d3, long a3, String what) throws Throwable {
        dnn.check((int) dnn.setMathType.invokeExact(p.conv, algo.mathType()), "cudnnSetConvolutionMathType");
        try (Arena call = Arena.ofConfined(); DeviceBuffer ws = workspace.apply(algo.workspace())) {
            MemorySegment alpha = call.allocate(JAVA_FLOAT), b = call.allocate(JAVA_FLOAT);
            alpha.set(JAVA_FLOAT, 0, 1f);
            b.set(JAVA_FLOAT, 0, beta);
            dnn.check((int) fn.invokeExact(dnn.handle, alpha, d1, MemorySegment.ofAddress(a1), d2, MemorySegment.ofAddress(a2), p.conv,
                    algo.algo(), MemorySegment.ofAddress(ws.address()), algo.workspace(), b, d3, MemorySegment.ofAddress(a3)), what);
        }
    }

    /** A cuDNN call: runtime errors pass through, anything else (FFM linkage) is wrapped with the call's name. */
    private interface Call { void run() throws Throwable; }

    private static void call(String what, Call c) {
        try {
            c.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what + " call failed", t);
        }
    }

    public synchronized void forward(Geometry g, long x, long w, long y) {
        call("cudnnConvolutionForward", () -> {
            Plan p = plan(g);
            if (p.forward == null) p.forward = choose(dnn.fwdAlgo, dnn.fwdWs, p.x, p.wDesc, p.conv, p.y, g.tf32(), "cudnnGetConvolutionForwardAlgorithm_v7");
            run(dnn.fwd, p, p.forward, p.x, x, p.wDesc, w, 0f, p.y, y, "cudnnConvolutionForward");
        });
    }

    public synchronized void backwardData(Geometry g, long w, long dy, long dx) {
        call("cudnnConvolutionBackwardData", () -> {
            Plan p = plan(g);
            if (p.backwardData == null)
                p.backwardData = choose(dnn.bwdDataAlgo, dnn.bwdDataWs, p.wDesc, p.y, p.conv, p.x, g.tf32(), "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            run(dnn.bwdData, p, p.backwardData, p.wDesc, w, p.y, dy, 0f, p.x, dx, "cudnnConvolutionBackwardData");
        });
    }

    public synchronized void backwardFilter(Geometry g, long x, long dy, long dw) {
        call("cudnnConvolutionBackwardFilter", () -> {
            Plan p = plan(g);
            if (p.backwardFilter == null)
                p.backwardFilter = choose(dnn.bwdFilterAlgo, dnn.bwdFilterWs, p.x, p.y, p.conv, p.wDesc, g.tf32(), "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            run(dnn.bwdFilter, p, p.backwardFilter, p.x, x, p.y, dy, 0f, p.wDesc, dw, "cudnnConvolutionBackwardFilter");
        });
    }
}
