package dev.groundwork.bench;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.memory.DeviceBuffer;
import dev.groundwork.kernels.ops.AttentionBf16BwdKernels;
import dev.groundwork.kernels.ops.AttentionBf16Kernels;
import dev.groundwork.kernels.ops.AttentionKernels;
import dev.groundwork.kernels.ops.Bf16Kernels;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The fused GPU kernels through the engine's differentiable ops, at torch_peer.py's GPU shapes:
 * <ul>
 *   <li>{@code attn_fwd:B,h,T,d} / {@code attn_fwd_bwd:...}: F.attention (flash-style attention.cu);
 *       FLOPs 4·B·h·T²·d forward, 3.5x that forward+backward (the peer's count); bytes moved by the
 *       forward: q, k, v read and O written once, 16·B·h·T·d, plus the 4·B·h·T log-sum-exp.
 *       {@code attn_drop_fwd_bwd:...} is the same with BERT's dropout 0.1 on the probabilities (the
 *       _drop kernels regenerate the Philox mask in every pass).</li>
 *   <li>{@code attn_bf16_fwd:B,h,T,d}: the tensor-core forward (attention_bf16.cu) on bf16 q, k, v
 *       converted once in setup, bf16 output: the peer's bf16 {@code scaled_dot_product_attention}
 *       row. Same FLOPs; half the bytes. {@code attn_bf16_fwd_bwd:...} adds the backward
 *       (attention_bf16_bwd.cu) from a bf16 gradient of ones, as the peer's {@code .sum().backward()}
 *       gives; fp32 gradients. {@code attn_bf16_drop_fwd_bwd:...} with dropout 0.1 on the probabilities.</li>
 *   <li>{@code matchmap:B,T,P,D}: stage-2 loss forward+backward (matchmap.cu + the two-way
 *       cross-entropy); FLOPs 3·2·B²·T·P·D; the O(B²·T) state is reported as peak allocator memory.
 *       {@code matchmap_tf32:...} the same with the backend's TF32 mode on: the max GEMM on tensor
 *       cores (matchmap_tf32.cu), compared with the peer's fp32 row, so the precision differs.</li>
 *   <li>{@code bilinear:B,O,S,K}: L2-normalised relation matrices, scores (bilinear_relation.cu),
 *       sum, backward; FLOPs 3·2·B·K·O·S·(S+O).</li>
 * </ul>
 * Each invocation runs in a TensorScope and ends with a synchronize, as the peer's CUDA events do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuFusedBench {
    @Param({"attn_fwd:32,12,128,64", "attn_fwd_bwd:32,12,128,64", "attn_drop_fwd_bwd:32,12,128,64",
            "attn_fwd:32,12,512,64", "attn_fwd_bwd:32,12,512,64", "attn_drop_fwd_bwd:32,12,512,64",
            "attn_fwd:180,8,32,96", "attn_fwd_bwd:180,8,32,96",
            "attn_bf16_fwd:32,12,128,64", "attn_bf16_fwd:32,12,512,64", "attn_bf16_fwd:180,8,32,96",
            "attn_bf16_fwd_bwd:32,12,128,64", "attn_bf16_fwd_bwd:32,12,512,64", "attn_bf16_fwd_bwd:180,8,32,96",
            "attn_bf16_drop_fwd_bwd:32,12,128,64", "attn_bf16_drop_fwd_bwd:32,12,512,64", "matchmap:180,32,196,768", "matchmap_tf32:180,32,196,768", "bilinear:180,32,32,115"})
    public String workload;

    private CudaBackend be;
    private String kind;
    private int[] n;
    private Tensor a, b, c, nwords, lse;
    private DeviceBuffer qb, kb, vb, ob, gb;
    private Tensor dq, dk, dv;
    private AttentionBf16Kernels.Dims dims;
    private final dev.groundwork.engine.random.Generator dropout = new dev.groundwork.engine.random.Generator(5);

    @Setup
    public void setup() {
        be = GpuSupport.cuda();
        be.setTf32(workload.startsWith("matchmap_tf32"));   // the peer's fp32 rows, but for the TF32 variant
        be.setMatchmapTf32(workload.startsWith("matchmap_tf32"));
        String[] p = workload.split(":");
        kind = p[0];
        String[] d = p[1].split(",");
        n = new int[d.length];
        for (int i = 0; i < d.length; i++) n[i] = Integer.parseInt(d[i]);
        switch (kind) {
            case "attn_fwd", "attn_fwd_bwd", "attn_drop_fwd_bwd" -> {
                a = randn(1, n[0], n[1], n[2], n[3]);
                b = randn(2, n[0], n[1], n[2], n[3]);
                c = randn(3, n[0], n[1], n[2], n[3]);
            }
            case "attn_bf16_fwd", "attn_bf16_fwd_bwd", "attn_bf16_drop_fwd_bwd" -> {
                dims = new AttentionBf16Kernels.Dims(n[0], n[1], n[2], n[2], n[3]);
                try (Tensor q = randn(1, n[0], n[1], n[2], n[3]); Tensor k = randn(2, n[0], n[1], n[2], n[3]);
                     Tensor v = randn(3, n[0], n[1], n[2], n[3])) {
                    qb = Bf16Kernels.toBf16(be, q);
                    kb = Bf16Kernels.toBf16(be, k);
                    vb = Bf16Kernels.toBf16(be, v);
                }
                ob = be.scratch(2L * n[0] * n[1] * n[2] * n[3]);
                lse = Tensor.zeros(DType.F32, Device.cuda(0), n[0], n[1], n[2]);
                if (!kind.equals("attn_bf16_fwd")) {
                    try (Tensor ones = Tensor.zeros(DType.F32, Device.cuda(0), n[0], n[1], n[2], n[3])) {
                        be.fill(ones, 1);
                        gb = Bf16Kernels.toBf16(be, ones);
                    }
                    dq = Tensor.zeros(DType.F32, Device.cuda(0), n[0], n[1], n[2], n[3]);
                    dk = Tensor.zeros(DType.F32, Device.cuda(0), n[0], n[1], n[2], n[3]);
                    dv = Tensor.zeros(DType.F32, Device.cuda(0), n[0], n[1], n[2], n[3]);
                }
            }
            case "matchmap", "matchmap_tf32" -> {   // B, T, P, D
                a = randn(1, n[0], n[3], n[2]);
                b = randn(2, n[0], n[1], n[3]);
                nwords = Tensor.ofLongs(FusedSteps.nwords(n[0], n[1]), n[0]).to(Device.cuda(0));
            }
            default -> {          // B, O, S, K
                a = randn(1, n[0], n[1], n[2]);
                b = randn(2, n[3], n[2], n[2]);
            }
        }
        boolean grad = !kind.equals("attn_fwd");
        for (Tensor t : new Tensor[]{a, b, c}) if (t != null) t.requiresGrad(grad);
        be.synchronize();
        be.allocator().resetPeak();
    }

    private Tensor randn(long seed, int... shape) {
        Tensor t = Tensor.zeros(DType.F32, Device.cuda(0), shape);
        be.random(t, dev.groundwork.engine.backend.Backend.RandomKind.NORMAL, seed, 0, 0, 1);
        return t;
    }

    @Benchmark
    public void run() {
        try (TensorScope s = TensorScope.open()) {
            switch (kind) {
                case "attn_fwd" -> F.attention(a, b, c, null, -10000);
                case "attn_bf16_fwd" -> AttentionBf16Kernels.forward(be, dims, qb, kb, vb, null, -10000, ob, lse);
                case "attn_bf16_fwd_bwd" -> {
                    AttentionBf16Kernels.forward(be, dims, qb, kb, vb, null, -10000, ob, lse);
                    AttentionBf16BwdKernels.backward(be, dims, qb, kb, vb, null, -10000, ob, lse, gb, dq, dk, dv);
                }
                case "attn_bf16_drop_fwd_bwd" -> {   // a fresh Philox offset per step, as training draws
                    AttentionKernels.Drop drop = new AttentionKernels.Drop(0.9, dropout.seed(), dropout.reserve((long) n[0] * n[1] * n[2] * n[2]));
                    AttentionBf16Kernels.forward(be, dims, qb, kb, vb, null, -10000, drop, ob, lse);
                    AttentionBf16BwdKernels.backward(be, dims, qb, kb, vb, null, -10000, drop, ob, lse, gb, dq, dk, dv);
                }
                case "attn_fwd_bwd" -> F.attention(a, b, c, null, -10000).sum().backward();
                case "attn_drop_fwd_bwd" -> F.attention(a, b, c, null, -10000, 0.1, true, dropout).sum().backward();
                case "matchmap", "matchmap_tf32" -> FusedSteps.matchmap(a, b, nwords, n);
                default -> FusedSteps.bilinear(a, b);
            }
            for (Tensor t : new Tensor[]{a, b, c}) if (t != null) t.zeroGrad();
        }
        be.synchronize();
    }

    @TearDown
    public void tearDown() {
        System.out.printf("%n[%s] peak allocated %.2f GB%n", workload, be.memoryStats().peakAllocatedBytes() / 1e9);
        for (Tensor t : new Tensor[]{a, b, c, nwords, lse, dq, dk, dv}) if (t != null) t.close();
        for (DeviceBuffer d : new DeviceBuffer[]{qb, kb, vb, ob, gb}) if (d != null) d.close();
        be.emptyCache();
    }
}
