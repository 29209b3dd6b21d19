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
 * Loads our kernels from the PTX committed under {@code dev/groundwork/kernels/ptx} (one file per
 * .cu source and target), JIT-compiled by the driver for the device at first use: sm_90 PTX on
 * Hopper and newer, sm_80 PTX on Ampere.
 */
public final class PtxModules {
    private final CudaContext ctx;
    private final String target;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();

    public PtxModules(CudaContext ctx) {
        this.ctx = ctx;
        int cc = ctx.computeCapability();
        if (cc < 80) throw new IllegalStateException("CUDA device " + ctx.name() + " has compute capability "
                + cc / 10 + "." + cc % 10 + "; Groundwork's kernels need 8.0 or newer");
        this.target = cc >= 90 ? "sm_90" : "sm_80";
    }

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
            String path = "/dev/groundwork/kernels/ptx/" + n + "." + target + ".ptx";
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
