package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.ops.BiasDropoutAdd;
import dev.groundwork.engine.ops.BiasGelu;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.ops.vgbert.BilinearRelation;
import dev.groundwork.engine.ops.vgbert.MatchmapSimilarity;
import dev.groundwork.engine.ops.vgbert.TwoWayContrastive;
import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.optim.StepKernel;
import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Storage;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.blas.Cublas;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.CudaContext;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.DeviceTensors;
import dev.groundwork.kernels.cuda.Launcher;
import dev.groundwork.kernels.cuda.OpKernels;
import dev.groundwork.kernels.cuda.PtxModules;
import dev.groundwork.kernels.dnn.Cudnn;
import dev.groundwork.kernels.memory.AllocatorStats;
import dev.groundwork.kernels.memory.CachingAllocator;
import dev.groundwork.kernels.memory.CudaStorage;
import dev.groundwork.kernels.memory.DeviceMemory;
import dev.groundwork.kernels.ops.AttentionKernels;
import dev.groundwork.kernels.ops.BiasDropoutAddKernels;
import dev.groundwork.kernels.ops.BiasGeluKernels;
import dev.groundwork.kernels.ops.BilinearRelationKernels;
import dev.groundwork.kernels.ops.ContrastiveKernels;
import dev.groundwork.kernels.ops.CopyKernels;
import dev.groundwork.kernels.ops.CrossEntropyKernels;
import dev.groundwork.kernels.ops.ElementwiseKernels;
import dev.groundwork.kernels.ops.IndexKernels;
import dev.groundwork.kernels.ops.LayerNormKernels;
import dev.groundwork.kernels.ops.MatchmapKernels;
import dev.groundwork.kernels.ops.OptimizerKernels;
import dev.groundwork.kernels.ops.PoolKernels;
import dev.groundwork.kernels.ops.RandomKernels;
import dev.groundwork.kernels.ops.ReduceKernels;
import dev.groundwork.kernels.ops.SoftmaxKernels;
import dev.groundwork.kernels.ops.SqNormKernels;

import static jcuda.driver.JCudaDriver.*;

/**
 * The CUDA backend of one device: our PTX kernels for the glue, cuBLAS for GEMM, cuDNN for
 * convolution where it loads (our im2col + GEMM where it does not). Dispatch and memory only: each
 * {@code Backend} method is one call into the host class of its kernel file (package {@code ops},
 * {@code layer_norm.cu} ↔ {@code LayerNormKernels}), or into {@link CublasMatmul} and
 * {@link Convolution} for the library paths. The fused op kernels ({@link #kernel}) come from the
 * host classes too, keyed by the engine interface each implements (the ops' {@code Kernel}s, the
 * optimizers' {@code StepKernel}, gradient clipping's {@code SquaredNormKernel}); {@code GW_FUSED=0}
 * or {@link #setFused} hides them all, so every op and optimizer step composes primitives.
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
public final class CudaBackend implements CudaDevice {
    private final Device device;
    private final CudaContext ctx;
    private final CachingAllocator allocator;
    private final DeviceTensors tensors;
    private final Launcher launcher;
    private final Cublas cublas;
    private final Cudnn cudnn;
    private final String cudnnUnavailable;
    private final Convolution conv;
    private final OpKernels opKernels;
    private volatile boolean tf32;
    private volatile boolean attentionBf16;
    private volatile boolean matchmapTf32;
    private volatile boolean fused;

    CudaBackend(int index) {
        this.device = Device.cuda(index);
        this.ctx = CudaContext.open(index);
        this.allocator = new CachingAllocator(new DriverMemory(ctx), index);
        this.tensors = new DeviceTensors(this, ctx, allocator);
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
        this.conv = new Convolution(this);
        this.tf32 = settings.tf32();
        this.attentionBf16 = settings.attentionBf16();
        this.matchmapTf32 = settings.matchmapTf32();
        this.fused = settings.fused();
        this.opKernels = new OpKernels()
                .put(Attention.Kernel.class, AttentionKernels.fused(this))
                .put(MatchmapSimilarity.Kernel.class, MatchmapKernels.fused(this))
                .put(TwoWayContrastive.Kernel.class, ContrastiveKernels.fused(this))
                .put(BilinearRelation.Kernel.class, BilinearRelationKernels.fused(this))
                .put(BiasGelu.Kernel.class, BiasGeluKernels.fused(this))
                .put(BiasDropoutAdd.Kernel.class, BiasDropoutAddKernels.fused(this))
                .put(Losses.CrossEntropyKernel.class, CrossEntropyKernels.fused(this))
                .put(StepKernel.class, OptimizerKernels.fused(this))
                .put(GradClip.SquaredNormKernel.class, SqNormKernels.fused(this));
    }

    // ------------------------------------------------------------------ plumbing

    @Override public CudaContext context() { return ctx; }

    @Override public Launcher launcher() { return launcher; }

    @Override public DeviceTensors tensors() { return tensors; }

    public Cublas cublas() { return cublas; }

    /** cuDNN, or null when it did not load (see {@link #cudnnStatus()}). */
    Cudnn cudnn() { return cudnn; }

    public CachingAllocator allocator() { return allocator; }

    public AllocatorStats memoryStats() { return allocator.stats(); }

    /** Returns cached device memory to the driver. */
    public void emptyCache() { allocator.emptyCache(); }

    @Override public boolean tf32() { return tf32; }

    public void setTf32(boolean on) { this.tf32 = on; }

    /** Whether F.attention's fused kernel runs in bf16 on tensor cores (see the class comment). */
    @Override public boolean attentionBf16() { return attentionBf16; }

    public void setAttentionBf16(boolean on) { this.attentionBf16 = on; }

    /** Whether the matchmap max runs on TF32 tensor cores: the switch and TF32 both on (see the class comment). */
    @Override public boolean matchmapTf32() { return matchmapTf32 && tf32; }

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

    // ------------------------------------------------------------------ memory and transfers

    @Override public Device device() { return device; }

    @Override public Storage allocate(DType dtype, int size) {
        CudaStorage s = tensors.allocate(dtype, size);
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
        CudaStorage s = tensors.allocate(dt, n);
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
            ctx.staging().download(DeviceTensors.addr(d), out, (long) n * d.dtype().byteSize());
            return out;
        } finally {
            DeviceTensors.closeIfCopy(d, t);
        }
    }

    // ------------------------------------------------------------------ kernels: one host class each

    @Override public void copy(Tensor src, Tensor dst) { CopyKernels.copy(this, src, dst); }

    @Override public void fill(Tensor dst, double v) { CopyKernels.fill(this, dst, v); }

    @Override public void unary(UnaryOp op, Tensor x, Tensor out, double p, double q) { ElementwiseKernels.unary(this, op, x, out, p, q); }

    @Override public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { ElementwiseKernels.binary(this, op, a, b, out); }

    @Override public void where(Tensor cond, Tensor a, Tensor b, Tensor out) { ElementwiseKernels.where(this, cond, a, b, out); }

    @Override public void reduce(ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices) { ReduceKernels.reduce(this, op, x, dim, out, indices); }

    @Override public void matmul(Tensor a, Tensor b, Tensor out) { CublasMatmul.matmul(this, a, b, out); }

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
        PoolKernels.maxForward(this, x, kernel, stride, padding, out, indices);
    }

    @Override public void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradX) { PoolKernels.maxBackward(this, gradOut, indices, gradX); }

    @Override public void avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out) {
        PoolKernels.avg(this, false, x, kernel, stride, padding, out);
    }

    @Override public void avgPool2dBackward(Tensor gradOut, int[] kernel, int[] stride, int[] padding, Tensor gradX) {
        PoolKernels.avg(this, true, gradOut, kernel, stride, padding, gradX);
    }

    @Override public void adaptiveAvgPool2d(Tensor x, Tensor out) { PoolKernels.adaptive(this, false, x, out); }

    @Override public void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradX) { PoolKernels.adaptive(this, true, gradOut, gradX); }

    @Override public void softmax(Tensor x, int dim, boolean log, Tensor out) { SoftmaxKernels.forward(this, x, dim, log, out); }

    @Override public void softmaxBackward(Tensor gradOut, Tensor y, int dim, boolean log, Tensor gradIn) {
        SoftmaxKernels.backward(this, gradOut, y, dim, log, gradIn);
    }

    @Override public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        LayerNormKernels.forward(this, x, weight, bias, eps, out, mean, rstd);
    }

    @Override public void layerNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                            Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        LayerNormKernels.backward(this, gradOut, x, weight, mean, rstd, gradX, gradWeight, gradBias);
    }

    @Override public void gather(Tensor x, int dim, Tensor index, Tensor out) { IndexKernels.gatherScatter(this, false, x, dim, index, out); }

    @Override public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) { IndexKernels.gatherScatter(this, true, dst, dim, index, src); }

    @Override public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) { IndexKernels.indexSelect(this, x, dim, index, out); }

    @Override public void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) { IndexKernels.indexAdd(this, dst, dim, index, src); }

    @Override public void random(Tensor out, RandomKind kind, long seed, long offset, double a, double b) {
        RandomKernels.random(this, out, kind, seed, offset, a, b);
    }

    // ------------------------------------------------------------------ fused op kernels

    /** Fused kernels can be switched off (GW_FUSED=0 or here) to compare against the composite ops. */
    public void setFused(boolean on) { this.fused = on; }

    /** The fused kernel of that kind from the host classes (null for none, and for all with fused kernels off). */
    @Override public <K> K kernel(Class<K> kind) { return fused ? opKernels.get(kind) : null; }

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
