package dev.groundwork.kernels.cuda;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

/**
 * Loads our kernels from the PTX committed under {@code dev/groundwork/kernels/ptx}: one
 * {@code <name>.ptx} per .cu source, compiled for {@code compute_80} and JIT-compiled by the driver
 * for the device at first use (Ampere, Hopper and newer). One PTX serves both until a kernel uses an
 * sm_90-only instruction; none does (cp.async, ldmatrix and the bf16/tf32 mma.sync shapes are sm_80).
 */
public final class PtxModules {
    private final CudaContext ctx;
    /** The virtual architecture the committed PTX is compiled for (build-ptx.sh's -arch). */
    public static final String PTX_ARCH = "compute_80";

    private final String target;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();

    public PtxModules(CudaContext ctx) {
        this.ctx = ctx;
        int cc = ctx.computeCapability();
        if (cc < 80) throw new IllegalStateException("CUDA device " + ctx.name() + " has compute capability "
                + cc / 10 + "." + cc % 10 + "; Groundwork's kernels need 8.0 or newer");
        this.target = PTX_ARCH + " PTX, JIT-compiled for sm_" + cc;
    }

    /** What runs: the PTX's architecture and the device's, e.g. "compute_80 PTX, JIT-compiled for sm_90". */
    public String target() { return target; }

    /** The entry point {@code function} of source file {@code module}.cu. */
    public synchronized CUfunction function(String module, String function) {
        return functions.computeIfAbsent(module + "/" + function, k -> {
            CUfunction f = new CUfunction();
            Cu.check(cuModuleGetFunction(f, module(module), function), "cuModuleGetFunction(" + module + ".cu, " + function + ")");
            return f;
        });
    }

    private CUmodule module(String name) {
        return modules.computeIfAbsent(name, n -> {
            String path = "/dev/groundwork/kernels/ptx/" + n + ".ptx";
            byte[] ptx;
            try (InputStream in = PtxModules.class.getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException("PTX resource " + path + " is missing from the kernels jar");
                ptx = in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read PTX resource " + path, e);
            }
            ctx.makeCurrent();
            CUmodule m = new CUmodule();
            Cu.check(cuModuleLoadData(m, Arrays.copyOf(ptx, ptx.length + 1)), "cuModuleLoadData(" + path + ")");
            return m;
        });
    }
}
