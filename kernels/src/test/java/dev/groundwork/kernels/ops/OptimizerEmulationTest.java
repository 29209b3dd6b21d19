package dev.groundwork.kernels.ops;

import dev.groundwork.engine.cpu.CpuBackend;
import dev.groundwork.engine.optim.StepKernel;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.groundwork.kernels.CudaTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * optimizer.cu without a GPU: each rule's kernel, compiled against the CPU emulation (src/test/emu)
 * and given the constants OptimizerKernels packs, against the CPU step kernel, which StepKernelTest
 * holds to the composition bit for bit. Six steps each, the gradients alternating between large and
 * small, on a grid smaller than the tensor (the grid-stride loop turns). Bit for bit, but for
 * BertAdam's clipping: sq_norm.cu sums Σ g² as a float tree, the CPU in double, so the clip factor
 * may differ in its last bit; there the sum and the results agree to rounding.
 */
class OptimizerEmulationTest {
    private static final int N = 3001, BLOCKS = 4, STEPS = 6;
    private static final StepKernel CPU = CpuBackend.INSTANCE.kernel(StepKernel.class);
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("optimizer_emu", dir);
    }

    /** One rule: how the CPU kernel steps, and the driver's arguments for step t (1-based). */
    sealed interface Case permits SgdCase, AdamCase, BertAdamCase {}

    record SgdCase(StepKernel.SgdRule rule) implements Case {
        @Override public String toString() { return "sgd " + rule; }
    }

    record AdamCase(StepKernel.AdamRule rule) implements Case {
        @Override public String toString() { return (rule.decoupled() ? "adamw " : "adam ") + rule; }
    }

    record BertAdamCase(StepKernel.BertAdamRule rule) implements Case {
        @Override public String toString() { return "bert adam " + rule; }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new SgdCase(new StepKernel.SgdRule(0.1, 0, 0, false, 0)),
                new SgdCase(new StepKernel.SgdRule(0.05, 0.8, 0.3, false, 0.01)),
                new SgdCase(new StepKernel.SgdRule(0.05, 0.9, 0, true, 0.02)),
                new AdamCase(new StepKernel.AdamRule(1e-3, 0.95, 0.999, 1e-8, 5e-7, false)),
                new AdamCase(new StepKernel.AdamRule(1e-3, 0.9, 0.999, 1e-8, 0, false)),
                new AdamCase(new StepKernel.AdamRule(1e-3, 0.9, 0.999, 1e-8, 0.1, true)),
                new BertAdamCase(new StepKernel.BertAdamRule(1e-3, 0.9, 0.999, 1e-6, 0.01, 0)),
                new BertAdamCase(new StepKernel.BertAdamRule(2e-3, 0.9, 0.999, 1e-6, 0, 1e9)),
                new BertAdamCase(new StepKernel.BertAdamRule(1e-3, 0.9, 0.999, 1e-6, 0.01, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theKernelRepeatsTheCpuStep(Case c, @TempDir Path dir) throws Exception {
        Generator gen = new Generator(c.toString().hashCode());
        Tensor p = Tensor.randn(gen, N), a = Tensor.zeros(N), b = Tensor.zeros(N);
        Emulator.writeF32(dir.resolve("p.bin"), p);
        Emulator.writeF32(dir.resolve(c instanceof SgdCase ? "buf.bin" : "m.bin"), a);
        if (!(c instanceof SgdCase)) Emulator.writeF32(dir.resolve("v.bin"), b);
        boolean clips = c instanceof BertAdamCase bc && bc.rule().maxGradNorm() > 0 && bc.rule().maxGradNorm() < 1e6;
        int clipped = 0;
        for (int t = 1; t <= STEPS; t++) {
            Tensor g = Tensor.randn(gen, N).mul(t % 2 == 1 ? 3 : 1e-3);
            Emulator.writeF32(dir.resolve("g.bin"), g);
            double squared = g.square().sum().item();
            List<Object> args = new ArrayList<>(List.of(name(c), N, BLOCKS, dir));
            switch (c) {
                case SgdCase s -> {
                    StepKernel.SgdRule r = s.rule();
                    CPU.sgd(r, p, g, r.momentum() != 0 ? a : null, t == 1);
                    args.addAll(List.of(bits(r.lr()), bits(r.weightDecay()), bits(r.momentum()), bits(r.undamped()), r.nesterov() ? 1 : 0, t == 1 ? 1 : 0));
                }
                case AdamCase s -> {
                    StepKernel.AdamRule r = s.rule();
                    CPU.adam(r, t, p, g, a, b);
                    args.addAll(List.of(bits(r.decayFactor()), bits(r.decoupled() ? 0 : r.weightDecay()), bits(r.beta1()), bits(r.beta2()),
                            bits(1 - r.beta1()), bits(1 - r.beta2()), bits(r.stepSize(t)), bits(r.sqrtBiasCorrection2(t)), bits(r.eps())));
                }
                case BertAdamCase s -> {
                    StepKernel.BertAdamRule r = s.rule();
                    Tensor before = g.copy();
                    CPU.bertAdam(r, p, g, a, b);
                    if (!java.util.Arrays.equals(before.toFloatArray(), g.toFloatArray())) clipped++;
                    args.addAll(List.of(Long.toUnsignedString(Double.doubleToRawLongBits(r.maxGradNorm())), bits(r.lr()), bits(r.weightDecay()),
                            bits(r.beta1()), bits(r.beta2()), bits(1 - r.beta1()), bits(1 - r.beta2()), bits(r.eps())));
                }
            }
            Emulator.run(binary, args.toArray());
            String at = c + ", step " + t;
            if (clips) {
                assertEquals(squared, Emulator.readF32(dir.resolve("sq.bin"), 1).item(), 1e-6 * squared, at + ": Σ g² on the device");
                assertClose(at + ": param", Emulator.readF32(dir.resolve("p.bin"), N), p, 1e-6);
                assertClose(at + ": clipped gradient", Emulator.readF32(dir.resolve("g.bin"), N), g, 1e-6);
                assertClose(at + ": exp_avg", Emulator.readF32(dir.resolve("m.bin"), N), a, 1e-6);
            } else {
                assertArrayEquals(p.toFloatArray(), Emulator.readF32(dir.resolve("p.bin"), N).toFloatArray(), at + ": param");
                assertArrayEquals(g.toFloatArray(), Emulator.readF32(dir.resolve("g.bin"), N).toFloatArray(), at + ": gradient");
                if (!(c instanceof SgdCase s) || s.rule().momentum() != 0)
                    assertArrayEquals(a.toFloatArray(), Emulator.readF32(dir.resolve(c instanceof SgdCase ? "buf.bin" : "m.bin"), N).toFloatArray(), at + ": first buffer");
                if (!(c instanceof SgdCase))
                    assertArrayEquals(b.toFloatArray(), Emulator.readF32(dir.resolve("v.bin"), N).toFloatArray(), at + ": exp_avg_sq");
            }
        }
        if (clips) assertNotEquals(0, clipped, "the large gradients were clipped");
    }

    private static String name(Case c) {
        return switch (c) {
            case SgdCase s -> "sgd";
            case AdamCase s -> "adam";
            case BertAdamCase s -> "bert_adam";
        };
    }

    /** A float constant as the driver reads it: its bit pattern. */
    private static String bits(double v) { return bits((float) v); }

    private static String bits(float v) { return Integer.toUnsignedString(Float.floatToRawIntBits(v)); }
}
