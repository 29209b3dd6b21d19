package dev.groundwork.bench;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The three fused ops' CPU reference paths (the engine's composite attention, matchmap loss and
 * bilinear relation scores, with autograd) at torch_peer.py's CPU shapes, for the peer's rows
 * {@code attention_sdpa_fwd} / {@code attention_sdpa_fwd_bwd}, {@code matchmap_contrastive_fwd_bwd}
 * and {@code bilinear_relation_fwd_bwd} on the same machine:
 * <ul>
 *   <li>{@code attn_fwd:B,h,T,d}, {@code attn_fwd_bwd:...}: F.attention; FLOPs 4·B·h·T²·d forward,
 *       3.5x that with the backward (the peer's count); the forward materialises the B·h·T² scores
 *       (the CPU path is the composition; the fused kernels are CUDA's).</li>
 *   <li>{@code matchmap:B,T,P,D}: stage-2 loss forward+backward; FLOPs 3·2·B²·T·P·D (all T counted,
 *       as the peer does; the CPU path skips padded words).</li>
 *   <li>{@code bilinear:B,O,S,K}: normalise, scores, sum, backward; FLOPs 3·2·B·K·O·S·(S+O).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class FusedCpuBench {
    @Param({"attn_fwd:2,12,128,64", "attn_fwd_bwd:2,12,128,64", "matchmap:16,32,196,768", "bilinear:16,32,32,115"})
    public String workload;

    private String kind;
    private int[] n;
    private Tensor a, b, c, nwords;

    @Setup
    public void setup() {
        String[] p = workload.split(":");
        kind = p[0];
        String[] d = p[1].split(",");
        n = new int[d.length];
        for (int i = 0; i < d.length; i++) n[i] = Integer.parseInt(d[i]);
        Generator gen = new Generator(11);
        switch (kind) {
            case "attn_fwd", "attn_fwd_bwd" -> {
                a = Tensor.randn(gen, n[0], n[1], n[2], n[3]);
                b = Tensor.randn(gen, n[0], n[1], n[2], n[3]);
                c = Tensor.randn(gen, n[0], n[1], n[2], n[3]);
            }
            case "matchmap" -> {   // B, T, P, D
                a = Tensor.randn(gen, n[0], n[3], n[2]);
                b = Tensor.randn(gen, n[0], n[1], n[3]);
                nwords = Tensor.ofLongs(FusedSteps.nwords(n[0], n[1]), n[0]);
            }
            case "bilinear" -> {   // B, O, S, K
                a = Tensor.randn(gen, n[0], n[1], n[2]);
                b = Tensor.randn(gen, n[3], n[2], n[2]);
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
        boolean grad = !kind.equals("attn_fwd");
        for (Tensor t : new Tensor[]{a, b, c}) if (t != null) t.requiresGrad(grad);
    }

    @Benchmark
    public void run() {
        try (TensorScope s = TensorScope.open()) {
            switch (kind) {
                case "attn_fwd" -> F.attention(a, b, c, null, -10000);
                case "attn_fwd_bwd" -> F.attention(a, b, c, null, -10000).sum().backward();
                case "matchmap" -> FusedSteps.matchmap(a, b, nwords, n);
                default -> FusedSteps.bilinear(a, b);
            }
            for (Tensor t : new Tensor[]{a, b, c}) if (t != null) t.zeroGrad();
        }
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[]{a, b, c, nwords}) if (t != null) t.close();
    }
}
