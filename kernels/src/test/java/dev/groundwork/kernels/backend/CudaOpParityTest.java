package dev.groundwork.kernels.backend;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.CudaTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.groundwork.kernels.CudaTestSupport.rand;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every backend kernel, through the engine's differentiable ops, on the CUDA backend against the
 * CPU backend: forward value and the gradient of every float input, with odd sizes, views
 * (transposes, slices, broadcasts) and fresh random inputs. TF32 is off here so fp32 tolerances
 * apply (relative L2 1e-5; 1e-4 for GEMM/conv, whose summation order differs).
 */
class CudaOpParityTest {
    private static CudaBackend be;
    private static boolean tf32Before;

    @BeforeAll
    static void open() {
        if (dev.groundwork.engine.backend.Backends.availability(Device.Type.CUDA).available()) {
            be = (CudaBackend) dev.groundwork.engine.backend.Backends.of(CudaTestSupport.CUDA);
            tf32Before = be.tf32();
            be.setTf32(false);
        }
    }

    @AfterAll
    static void restore() {
        if (be != null) be.setTf32(tf32Before);
    }

    private record Case(String name, Supplier<List<Tensor>> inputs, Function<List<Tensor>, Tensor> op, double tol) {}

    private static final SplittableRandom R = new SplittableRandom(20261128);

    private static Supplier<List<Tensor>> in(int[]... shapes) {
        return () -> {
            List<Tensor> l = new ArrayList<>();
            for (int[] s : shapes) l.add(rand(R, 1.0, s));
            return l;
        };
    }

    private static int[] s(int... d) { return d; }

    private static Tensor ids(int bound, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = R.nextInt(bound);
        return Tensor.ofLongs(a, shape);
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // copies and views
        c.add(new Case("transpose copy", in(s(37, 65)), x -> x.get(0).mT().contiguous(), 0));
        c.add(new Case("batched transpose copy", in(s(3, 33, 70)), x -> x.get(0).mT().contiguous().mul(2), 0));
        c.add(new Case("permute copy", in(s(2, 3, 5, 7)), x -> x.get(0).permute(2, 0, 3, 1).contiguous(), 0));
        c.add(new Case("slice+narrow", in(s(9, 13)), x -> x.get(0).slice(1, 1, 12, 3).narrow(0, 2, 5).contiguous(), 0));
        // unary
        c.add(new Case("exp", in(s(1031)), x -> x.get(0).exp(), 1e-6));
        c.add(new Case("log", in(s(1031)), x -> x.get(0).abs().add(0.1).log(), 1e-6));
        c.add(new Case("sqrt/rsqrt", in(s(7, 11)), x -> x.get(0).abs().add(0.5).sqrt().add(x.get(0).abs().add(0.5).rsqrt()), 1e-6));
        c.add(new Case("relu", in(s(4, 257)), x -> x.get(0).relu(), 0));
        c.add(new Case("gelu", in(s(4, 257)), x -> x.get(0).mul(3).gelu(), 1e-6));
        c.add(new Case("tanh", in(s(4, 257)), x -> x.get(0).mul(3).tanh(), 1e-6));
        c.add(new Case("sigmoid", in(s(4, 257)), x -> x.get(0).mul(3).sigmoid(), 1e-6));
        c.add(new Case("clamp/pow/square", in(s(5, 9)), x -> x.get(0).clamp(-0.5, 0.6).add(x.get(0).abs().pow(1.7)).add(x.get(0).square()), 1e-6));
        c.add(new Case("unary on a transposed view", in(s(6, 10)), x -> x.get(0).mT().exp(), 1e-6));
        // binary with broadcasting
        c.add(new Case("add/sub/mul/div broadcast", in(s(3, 1, 5), s(4, 1)),
                x -> x.get(0).add(x.get(1)).mul(x.get(0).sub(x.get(1))).div(x.get(1).abs().add(1)), 1e-6));
        c.add(new Case("max/min", in(s(6, 7), s(7)), x -> x.get(0).maximum(x.get(1)).add(x.get(0).minimum(x.get(1).mul(0.5))), 0));
        c.add(new Case("compare+where", in(s(5, 6), s(5, 6)), x -> F.where(x.get(0).gt(x.get(1)), x.get(0), x.get(1).mul(3)), 0));
        c.add(new Case("vectorised add", in(s(4096), s(4096)), x -> x.get(0).add(x.get(1)).mul(x.get(1)), 1e-7));
        // reductions
        c.add(new Case("sum last", in(s(7, 300)), x -> x.get(0).sum(-1, false), 1e-6));
        c.add(new Case("sum middle", in(s(4, 33, 9)), x -> x.get(0).sum(1, true), 1e-6));
        c.add(new Case("mean/var", in(s(6, 17)), x -> x.get(0).mean(0, false).add(x.get(0).var(1, true, false).sum()), 1e-6));
        c.add(new Case("max with indices", in(s(5, 29)), x -> x.get(0).max(-1, false).values(), 0));
        c.add(new Case("min dim 0", in(s(13, 4)), x -> x.get(0).min(0, false).values(), 0));
        // 100003 float32 additions in a different order (tree on the GPU): ~1e-6 relative is round-off.
        c.add(new Case("sum all", in(s(100003)), x -> x.get(0).sum(), 1e-5));
        c.add(new Case("sum all, long row two-stage (no tail)", in(s(4, 65536)), x -> x.get(0).sum(), 1e-5));
        c.add(new Case("sum all, long row two-stage (tail)", in(s(3, 100003)), x -> x.get(0).sum(), 1e-5));
        // GEMM
        c.add(new Case("matmul 2d", in(s(33, 65), s(65, 17)), x -> x.get(0).matmul(x.get(1)), 1e-5));
        c.add(new Case("matmul batched", in(s(3, 2, 9, 31), s(3, 2, 31, 12)), x -> x.get(0).matmul(x.get(1)), 1e-5));
        c.add(new Case("matmul transposed views", in(s(4, 20, 9), s(4, 11, 20)), x -> x.get(0).mT().matmul(x.get(1).mT()), 1e-5));
        c.add(new Case("matmul broadcast batch", in(s(5, 8, 16), s(16, 7)), x -> x.get(0).matmul(x.get(1)), 1e-5));
        c.add(new Case("linear", in(s(2, 5, 16), s(12, 16), s(12)), x -> F.linear(x.get(0), x.get(1), x.get(2)), 1e-5));
        // conv and pooling
        c.add(new Case("conv2d 3x3 p1", in(s(2, 3, 9, 11), s(8, 3, 3, 3), s(8)), x -> F.conv2d(x.get(0), x.get(1), x.get(2), 1, 1), 1e-5));
        c.add(new Case("conv2d 3x3 s2", in(s(2, 4, 10, 9), s(5, 4, 3, 3), s(5)), x -> F.conv2d(x.get(0), x.get(1), x.get(2), 2, 1), 1e-5));
        c.add(new Case("max_pool2d", in(s(2, 3, 8, 9)), x -> F.maxPool2d(x.get(0), 2, 2), 0));
        c.add(new Case("max_pool2d overlapping", in(s(2, 3, 9, 9)), x -> F.maxPool2d(x.get(0), 3, 2, 1), 0));
        c.add(new Case("avg_pool2d", in(s(2, 3, 9, 8)), x -> F.avgPool2d(x.get(0), 3, 2, 1), 1e-6));
        c.add(new Case("adaptive_avg_pool2d", in(s(2, 3, 10, 7)), x -> F.adaptiveAvgPool2d(x.get(0), 3, 4), 1e-6));
        // rows
        c.add(new Case("softmax last", in(s(6, 771)), x -> F.softmax(x.get(0).mul(4), -1), 1e-6));
        c.add(new Case("softmax dim 1", in(s(3, 10, 5)), x -> F.softmax(x.get(0).mul(4), 1), 1e-6));
        c.add(new Case("softmax long rows (block kernel)", in(s(3, 3000)), x -> F.softmax(x.get(0).mul(4), -1), 1e-6));
        c.add(new Case("layer_norm wide rows (block kernel)", in(s(5, 1500), s(1500), s(1500)), x -> F.layerNorm(x.get(0), x.get(1), x.get(2), 1e-5), 1e-5));
        c.add(new Case("log_softmax", in(s(9, 33)), x -> F.logSoftmax(x.get(0).mul(4), -1), 1e-6));
        c.add(new Case("layer_norm", in(s(2, 7, 768), s(768), s(768)), x -> F.layerNorm(x.get(0), x.get(1), x.get(2), 1e-12), 1e-5));
        c.add(new Case("layer_norm many rows", in(s(1000, 96), s(96), s(96)), x -> F.layerNorm(x.get(0), x.get(1), x.get(2), 1e-5), 1e-5));
        // indexing
        c.add(new Case("embedding (repeated ids)", () -> List.of(ids(50, 4, 9), rand(R, 1, 50, 16)), x -> F.embedding(x.get(0), x.get(1)), 1e-6));
        c.add(new Case("gather", () -> List.of(rand(R, 1, 5, 8), ids(8, 5, 3)), x -> F.gather(x.get(0), 1, x.get(1)), 1e-6));
        c.add(new Case("index_select dim 1", () -> List.of(rand(R, 1, 4, 9, 3), ids(9, 6)), x -> F.indexSelect(x.get(0), 1, x.get(1)), 1e-6));
        c.add(new Case("cat/split", in(s(3, 4), s(3, 5)), x -> F.cat(List.of(x.get(0), x.get(1).exp()), 1).mul(2), 1e-6));
        c.add(new Case("cross_entropy ignore", () -> {
            Tensor t = ids(11, 6);
            long[] a = t.toLongArray();
            a[2] = -1;
            return List.of(rand(R, 2, 6, 11), Tensor.ofLongs(a, 6));
        }, x -> F.crossEntropy(x.get(0), x.get(1), -1, Losses.Reduction.MEAN), 1e-6));
        c.add(new Case("attention (composite)", in(s(2, 3, 7, 16), s(2, 3, 9, 16), s(2, 3, 9, 16)),
                x -> F.attention(x.get(0), x.get(1), x.get(2), null, -10000), 1e-5));
        // fused kernels behind the engine's ops (CUDA) against the composite ops (CPU), through autograd
        Tensor mask = Tensor.of(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 2, 45);
        c.add(new Case("attention fused d64 cross masked", in(s(2, 3, 37, 64), s(2, 3, 45, 64), s(2, 3, 45, 64)),
                x -> F.attention(x.get(0), x.get(1), x.get(2), mask.to(x.get(0).device()), -10000), 1e-5));
        c.add(new Case("attention fused d96 self", in(s(2, 2, 33, 96), s(2, 2, 33, 96), s(2, 2, 33, 96)),
                x -> F.attention(x.get(0), x.get(1), x.get(2), null, -10000), 1e-5));
        Tensor nwords = Tensor.ofLongs(new long[]{0, 3, 6, 9, 1}, 5);
        c.add(new Case("matchmap similarity fused", in(s(5, 24, 3, 3), s(5, 6, 24)),
                x -> VgBertOps.matchmapSimilarity(x.get(0), x.get(1), nwords.to(x.get(0).device())), 1e-5));
        c.add(new Case("matchmap contrastive loss fused", in(s(4, 16, 3, 3), s(4, 5, 16)), x -> {
            Tensor[] l = VgBertOps.matchmapContrastive(x.get(0), x.get(1), Tensor.ofLongs(new long[]{2, 5, 7, 1}, 4).to(x.get(0).device()), 0.1);
            return l[0].add(l[1]);
        }, 1e-5));
        c.add(new Case("two-way contrastive fused", in(s(7, 7)), x -> {
            Tensor[] l = VgBertOps.twoWayContrastive(x.get(0), 0.1);
            return l[0].mul(0.3).add(l[1]);
        }, 1e-5));
        c.add(new Case("pooled contrastive (GEMM + fused two-way)", in(s(6, 37), s(6, 37)), x -> {
            Tensor[] l = VgBertOps.pooledContrastive(x.get(0), x.get(1), 0.07);
            return l[0].add(l[1].mul(2));
        }, 1e-5));
        c.add(new Case("bilinear relation fused", in(s(3, 7, 5), s(4, 5, 5)), x -> VgBertOps.bilinearRelation(x.get(0), x.get(1)), 1e-5));
        c.add(new Case("bilinear relation fused 32x32x115", in(s(2, 32, 32), s(115, 32, 32)), x -> VgBertOps.bilinearRelation(x.get(0), x.get(1)), 1e-5));
        c.add(new Case("int64 and float64 paths", () -> List.of(ids(1000, 7, 5)),
                x -> x.get(0).to(DType.F64).mul(3).add(x.get(0).to(DType.F64)).sum(1, false).to(DType.F32), 0));
        return c;
    }

    @TestFactory
    List<DynamicTest> cudaMatchesCpu() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) tests.add(DynamicTest.dynamicTest(c.name(), () -> run(c)));
        return tests;
    }

    private static void run(Case c) {
        CudaTestSupport.requireCuda();
        List<Tensor> cpu = c.inputs().get();
        List<Tensor> gpu = new ArrayList<>();
        for (Tensor t : cpu) gpu.add(t.to(CudaTestSupport.CUDA));
        for (int i = 0; i < cpu.size(); i++) {
            if (cpu.get(i).dtype() == DType.F32) {
                cpu.get(i).requiresGrad(true);
                gpu.get(i).requiresGrad(true);
            }
        }
        Tensor yc = c.op().apply(cpu), yg = c.op().apply(gpu);
        assertTrue(yg.device().equals(CudaTestSupport.CUDA), c.name() + ": output left the GPU: " + yg.device());
        double tol = Math.max(c.tol(), 1e-7);
        CudaTestSupport.assertClose(c.name() + " forward", yg, yc, tol);
        if (!yc.requiresGrad()) return;
        Tensor probe = rand(R, 1.0, yc.shape());
        yc.backward(probe);
        yg.backward(probe.to(CudaTestSupport.CUDA));
        for (int i = 0; i < cpu.size(); i++) {
            if (cpu.get(i).grad() == null) continue;
            assertTrue(gpu.get(i).grad() != null, c.name() + ": input " + i + " has no CUDA gradient");
            CudaTestSupport.assertClose(c.name() + " grad of input " + i, gpu.get(i).grad(), cpu.get(i).grad(), Math.max(tol, 1e-6));
        }
    }
}
