package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.FusedKernels;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Storage;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.blas.Cublas;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.CudaContext;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.Launcher;
import dev.groundwork.kernels.cuda.PtxModules;
import dev.groundwork.kernels.dnn.Cudnn;
import dev.groundwork.kernels.memory.AllocatorStats;
import dev.groundwork.kernels.memory.CachingAllocator;
import dev.groundwork.kernels.memory.DeviceBuffer;
import dev.groundwork.kernels.memory.DeviceMemory;

import static jcuda.driver.JCudaDriver.*;

/**
 * The CUDA backend of one device: our PTX kernels for the glue, cuBLAS for GEMM, cuDNN for
 * convolution where it loads (our im2col + GEMM where it does not). Dispatch and memory only; the
 * kernels' host sides live in the Cuda* classes of this package, one concern each.
 *
 * <p>TF32: GEMMs and convolutions use TF32 tensor cores by default (10-bit mantissa inputs, fp32
 * accumulation), as PyTorch did by default before 1.12; {@code GW_TF32=0} or {@link #setTf32}
 * turns it off for bit-closer fp32.
 *
 * <p>bf16 attention: with {@code GW_ATTENTION_BF16=1} or {@link #setAttentionBf16}, the fused
 * attention behind {@code F.attention} runs the tensor-core kernels (attention_bf16*.cu): q, k, v and
 * the output gradient rounded to bf16, fp32 accumulation, the output rounded to bf16 and returned as
 * float32, fp32 gradients. Off by default: those kernels have not yet run on a GPU.
 *
 * <p>TF32 matchmap: with {@code GW_MATCHMAP_TF32=1} or {@link #setMatchmapTf32}, and TF32 on, the
 * stage-2 matchmap max runs on tensor cores (matchmap_tf32.cu). Off by default for the same reason.
 */
public final class CudaBackend implements Backend, FusedKernels {
    private final Device device;
    private final CudaContext ctx;
    private final CachingAllocator allocator;
    private final Launcher launcher;
    private final Cublas cublas;
    private final Cudnn cudnn;
    private final String cudnnUnavailable;
    private final CudaConv conv;
    private volatile boolean tf32;
    private volatile boolean attentionBf16;
    private volatile boolean matchmapTf32;

    CudaBackend(int index) {
        this.device = Device.cuda(index);
        this.ctx = CudaContext.open(index);
        this.allocator = new CachingAllocator(new DriverMemory(ctx), index);
        this.launcher = new Launcher(ctx, new PtxModules(ctx));
        this.cublas = Cublas.open(ctx.computeStreamAddress());
        Cudnn dnn = null;
        String why = "";
        Settings settings = Settings.current();
        if (settings.cudnn()) {
            try {
                dnn = Cudnn.open(ctx.computeStreamAddress());
            } catch (RuntimeException | LinkageError e) {
                why = e.getMessage();
            }
        } else {
            why = "disabled by GW_CUDNN=0";
        }
        this.cudnn = dnn;
        this.cudnnUnavailable = why;
        this.conv = new CudaConv(this);
        this.tf32 = settings.tf32();
        this.attentionBf16 = settings.attentionBf16();
        this.matchmapTf32 = settings.matchmapTf32();
        this.fused = settings.fused();
    }

    // ------------------------------------------------------------------ plumbing

    public CudaContext context() { return ctx; }

    public Launcher launcher() { return launcher; }

    public Cublas cublas() { return cublas; }

    /** cuDNN, or null when it did not load (see {@link #cudnnStatus()}). */
    Cudnn cudnn() { return cudnn; }

    CudaConv conv() { return conv; }

    public CachingAllocator allocator() { return allocator; }

    public AllocatorStats memoryStats() { return allocator.stats(); }

    /** Returns cached device memory to the driver. */
    public void emptyCache() { allocator.emptyCache(); }

    public boolean tf32() { return tf32; }

    public void setTf32(boolean on) { this.tf32 = on; }

    /** Whether F.attention's fused kernel runs in bf16 on tensor cores (see the class comment). */
    public boolean attentionBf16() { return attentionBf16; }

    public void setAttentionBf16(boolean on) { this.attentionBf16 = on; }

    /** Whether the matchmap max runs on TF32 tensor cores: the switch and TF32 both on (see the class comment). */
    public boolean matchmapTf32() { return matchmapTf32 && tf32; }

    public void setMatchmapTf32(boolean on) { this.matchmapTf32 = on; }

    public String deviceName() { return ctx.name(); }

    public String ptxTarget() { return launcher.modules().target(); }

    public String cublasStatus() { return cublas.library() + " (version " + cublas.version() + ")"; }

    public String cudnnStatus() {
        return cudnn != null ? cudnn.library() + " (version " + cudnn.version() + ")" : "not used: " + cudnnUnavailable;
    }

    /** Uses our im2col + GEMM convolution even where cuDNN loaded (for testing both paths). */
    public void forceOwnConvolution(boolean on) { conv.forceOwn(on); }

    /** Waits for every queued kernel. */
    public void synchronize() { ctx.synchronize(); }

    public DeviceBuffer scratch(long bytes) { return new DeviceBuffer(allocator, bytes, ctx.computeStreamAddress()); }

    static CudaStorage cuda(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s))
            throw new IllegalArgumentException("CUDA kernel given a tensor on " + t.device());
        return s;
    }

    /** Device address of the tensor's first element (storage offset applied). */
    public static long addr(Tensor t) {
        return cuda(t).address() + (long) t.offset() * t.dtype().byteSize();
    }

    /** A new contiguous tensor on this device, uninitialised. */
    public Tensor empty(DType dtype, int... shape) {
        return new Tensor(allocateRaw(dtype, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
    }

    /** t itself when contiguous, else a contiguous copy the caller must close (check with ==). */
    public Tensor dense(Tensor t) {
        if (t == null || t.isContiguous()) return t;
        Tensor c = empty(t.dtype(), t.shape());
        copy(t, c);
        return c;
    }

    public static void closeIfCopy(Tensor copy, Tensor original) {
        if (copy != null && copy != original) copy.close();
    }

    private CudaStorage allocateRaw(DType dtype, int size) {
        long bytes = (long) size * dtype.byteSize();
        return new CudaStorage(this, dtype, size, allocator.allocate(bytes, ctx.computeStreamAddress()));
    }

    // ------------------------------------------------------------------ memory and transfers

    @Override public Device device() { return device; }

    @Override public Storage allocate(DType dtype, int size) {
        CudaStorage s = allocateRaw(dtype, size);
        if (size > 0) {
            ctx.makeCurrent();
            Cu.check(cuMemsetD8Async(DevicePointers.of(s.address()), (byte) 0, s.bytes(), ctx.computeStream()), "cuMemsetD8Async(" + s.bytes() + " bytes)");
        }
        return s;
    }

    @Override public Storage upload(Object hostArray) {
        DType dt;
        int n;
        switch (hostArray) {
            case float[] a -> { dt = DType.F32; n = a.length; }
            case double[] a -> { dt = DType.F64; n = a.length; }
            case long[] a -> { dt = DType.I64; n = a.length; }
            case int[] a -> { dt = DType.I32; n = a.length; }
            default -> throw new IllegalArgumentException("unsupported host array " + hostArray.getClass());
        }
        CudaStorage s = allocateRaw(dt, n);
        ctx.makeCurrent();
        ctx.staging().upload(hostArray, s.address(), s.bytes());
        return s;
    }

    @Override public Object download(Tensor t) {
        Tensor d = dense(t);
        try {
            int n = d.numel();
            Object out = switch (d.dtype()) {
                case F32 -> new float[n];
                case F64 -> new double[n];
                case I64 -> new long[n];
                case I32 -> new int[n];
            };
            ctx.makeCurrent();
            ctx.staging().download(addr(d), out, (long) n * d.dtype().byteSize());
            return out;
        } finally {
            closeIfCopy(d, t);
        }
    }

    // ------------------------------------------------------------------ kernels

    @Override public void copy(Tensor src, Tensor dst) { CudaElementwise.copy(this, src, dst); }

    @Override public void fill(Tensor dst, double v) { CudaElementwise.fill(this, dst, v); }

    @Override public void unary(UnaryOp op, Tensor x, Tensor out, double p, double q) { CudaElementwise.unary(this, op, x, out, p, q); }

    @Override public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { CudaElementwise.binary(this, op, a, b, out); }

    @Override public void where(Tensor cond, Tensor a, Tensor b, Tensor out) { CudaElementwise.where(this, cond, a, b, out); }

    @Override public void reduce(ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices) { CudaReduce.reduce(this, op, x, dim, out, indices); }

    @Override public void matmul(Tensor a, Tensor b, Tensor out) { CudaMatmul.matmul(this, a, b, out); }

    @Override public void conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, Tensor out) {
        conv.forward(x, weight, bias, stride, padding, out);
    }

    @Override public void conv2dBackwardData(Tensor gradOut, Tensor weight, int[] stride, int[] padding, Tensor gradX) {
        conv.backwardData(gradOut, weight, stride, padding, gradX);
    }

    @Override public void conv2dBackwardWeight(Tensor x, Tensor gradOut, int[] stride, int[] padding, Tensor gradW, Tensor gradBias) {
        conv.backwardWeight(x, gradOut, stride, padding, gradW, gradBias);
    }

    @Override public void maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out, Tensor indices) {
        CudaPool.maxForward(this, x, kernel, stride, padding, out, indices);
    }

    @Override public void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradX) { CudaPool.maxBackward(this, gradOut, indices, gradX); }

    @Override public void avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out) {
        CudaPool.avg(this, false, x, kernel, stride, padding, out);
    }

    @Override public void avgPool2dBackward(Tensor gradOut, int[] kernel, int[] stride, int[] padding, Tensor gradX) {
        CudaPool.avg(this, true, gradOut, kernel, stride, padding, gradX);
    }

    @Override public void adaptiveAvgPool2d(Tensor x, Tensor out) { CudaPool.adaptive(this, false, x, out); }

    @Override public void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradX) { CudaPool.adaptive(this, true, gradOut, gradX); }

    @Override public void softmax(Tensor x, int dim, boolean log, Tensor out) { CudaRows.softmax(this, x, dim, log, out); }

    @Override public void softmaxBackward(Tensor gradOut, Tensor y, int dim, boolean log, Tensor gradIn) {
        CudaRows.softmaxBackward(this, gradOut, y, dim, log, gradIn);
    }

    @Override public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        CudaRows.layerNorm(this, x, weight, bias, eps, out, mean, rstd);
    }

    @Override public void layerNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                            Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        CudaRows.layerNormBackward(this, gradOut, x, weight, mean, rstd, gradX, gradWeight, gradBias);
    }

    @Override public void gather(Tensor x, int dim, Tensor index, Tensor out) { CudaIndex.gatherScatter(this, false, x, dim, index, out); }

    @Override public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) { CudaIndex.gatherScatter(this, true, dst, dim, index, src); }

    @Override public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) { CudaIndex.indexSelect(this, x, dim, index, out); }

    @Override public void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) { CudaIndex.indexAdd(this, dst, dim, index, src); }

    @Override public void random(Tensor out, RandomKind kind, long seed, long offset, double a, double b) {
        CudaElementwise.random(this, out, kind, seed, offset, a, b);
    }

    // ------------------------------------------------------------------ fused ops (issue: fused GPU kernels)

    /** Fused kernels can be switched off (GW_FUSED=0 or here) to compare against the composite ops. */
    private volatile boolean fused;

    public void setFused(boolean on) { this.fused = on; }

    @Override public FusedKernels.Result attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, double maskValue,
                                                   double dropout, long seed, long offset, boolean forBackward) {
        return fused ? CudaFused.attention(this, q, k, v, keyMask, maskValue, dropout, seed, offset, forBackward) : null;
    }

    @Override public FusedKernels.Result matchmapSimilarity(Tensor image, Tensor language, Tensor nwords, boolean forBackward) {
        return fused ? CudaFused.matchmap(this, image, language, nwords, forBackward) : null;
    }

    @Override public FusedKernels.Result twoWayContrastive(Tensor sim, double sigma, boolean forBackward) {
        return fused ? CudaFused.twoWay(this, sim, sigma, forBackward) : null;
    }

    @Override public FusedKernels.Result bilinearRelation(Tensor objects, Tensor relations, boolean forBackward) {
        return fused ? CudaFused.bilinear(this, objects, relations, forBackward) : null;
    }

    @Override public String toString() { return "CudaBackend[" + device + " " + ctx.name() + "]"; }

    /** The driver side of the caching allocator. */
    private record DriverMemory(CudaContext ctx) implements DeviceMemory {
        @Override public long malloc(long bytes) {
            ctx.makeCurrent();
            DevicePointers.Raw p = new DevicePointers.Raw();
            int rc = cuMemAlloc(p, bytes);
            if (rc == jcuda.driver.CUresult.CUDA_ERROR_OUT_OF_MEMORY)
                throw new OutOfMemory("cuMemAlloc(" + bytes + " bytes): " + jcuda.driver.CUresult.stringFor(rc));
            Cu.check(rc, "cuMemAlloc(" + bytes + " bytes)");
            return p.address();
        }

        @Override public void free(long address) {
            ctx.makeCurrent();
            Cu.check(cuMemFree(DevicePointers.of(address)), "cuMemFree");
        }

        @Override public void synchronize() { ctx.synchronize(); }
    }
}
