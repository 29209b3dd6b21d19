package dev.groundwork.kernels.fused;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.tensor.Bf16;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * attention_bf16.cu without a GPU: the kernel source compiled by the host C++ compiler against the
 * CPU emulation in src/test/emu (mma.sync, ldmatrix, cp.async and shuffles implemented from their
 * PTX ISA definitions), run on random bf16 inputs and compared with the engine's attention on the
 * same bf16-rounded values in float64. This checks the kernel's tiling, fragment bookkeeping, online
 * softmax, masking and partial tiles; speed and hardware races are for the GPU run
 * ({@link FusedAttentionBf16Test}).
 */
class AttentionBf16EmulationTest {
    private static final double MASK_VALUE = -10000;
    private static final Path KERNELS = Path.of(System.getProperty("gw.root", ".."), "kernels");
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        String cxx = onPath("g++");
        if (cxx == null) {
            String why = "no g++ on PATH: the CPU emulation of attention_bf16.cu cannot be built";
            if (System.getenv("CI") != null) fail(why + " (CI is set, so this is a failure)");
            assumeTrue(false, why);
        }
        binary = dir.resolve("attention_bf16_emu");
        Path emu = KERNELS.resolve("src/test/emu");
        run(List.of(cxx, "-std=c++20", "-O2", "-pthread", "-I" + emu, "-I" + KERNELS.resolve("src/main/cuda"),
                "-o", binary.toString(), emu.resolve("attention_bf16_emu.cpp").toString()), 300);
    }

    @ParameterizedTest(name = "d={0} Tq={1} Tk={2} mask={3}")
    @CsvSource({
            "64, 70, 70, false",    // self-attention, partial second tiles
            "64, 37, 53, true",     // cross, one partial tile each way
            "64, 130, 150, true",   // three query tiles, three key tiles
            "96, 100, 33, true",
            "96, 5, 130, false",
    })
    void matchesTheEngineOnBf16RoundedInputs(int d, int tq, int tk, boolean masked, @TempDir Path dir) throws Exception {
        int b = 2, h = 2;
        SplittableRandom r = new SplittableRandom(1000L * d + 10L * tq + tk + (masked ? 7 : 0));
        Tensor q = Bf16.round(rand(r, 1.0, b, h, tq, d)), k = Bf16.round(rand(r, 1.0, b, h, tk, d)), v = Bf16.round(rand(r, 1.0, b, h, tk, d));
        Tensor mask = masked ? keepFirst(b, tk, new int[]{tk, Math.max(1, tk * 3 / 5)}) : null;
        writeBf16(dir.resolve("q.bin"), q);
        writeBf16(dir.resolve("k.bin"), k);
        writeBf16(dir.resolve("v.bin"), v);
        if (mask != null) Files.write(dir.resolve("mask.bin"), littleEndian(mask.toFloatArray()));
        run(List.of(binary.toString(), "" + d, "" + b, "" + h, "" + tq, "" + tk, "" + MASK_VALUE, dir.toString()), 600);

        Tensor out = readBf16(dir.resolve("out.bin"), b, h, tq, d), lse = readF32(dir.resolve("lse.bin"), b, h, tq);
        Tensor want;
        try (var ng = GradMode.noGrad()) {
            want = Attention.attention(q.to(DType.F64), k.to(DType.F64), v.to(DType.F64), mask, MASK_VALUE);
        }
        // bf16 output: rounding the exact result alone costs ~2^-9 relative per element; P in bf16 for
        // P V adds less. A wrong fragment, tile or mask index costs O(1).
        double roundingOnly = relL2(Bf16.round(want.to(DType.F32)), want);
        double e = relL2(out, want);
        assertTrue(e <= 3 * roundingOnly + 1e-3, "out: relative L2 error " + e + " (rounding the exact result alone: " + roundingOnly + ")");
        assertClose("lse", lse, logSumExp(q, k, mask), 2e-6);
    }

    @Test
    void aWrongAnswerIsCaught(@TempDir Path dir) throws Exception {
        // The comparison above can fail: the same run against a reference with keys reversed.
        int b = 1, h = 1, tq = 20, tk = 40, d = 64;
        SplittableRandom r = new SplittableRandom(3);
        Tensor q = Bf16.round(rand(r, 1.0, b, h, tq, d)), k = Bf16.round(rand(r, 1.0, b, h, tk, d)), v = Bf16.round(rand(r, 1.0, b, h, tk, d));
        writeBf16(dir.resolve("q.bin"), q);
        writeBf16(dir.resolve("k.bin"), k);
        writeBf16(dir.resolve("v.bin"), v);
        run(List.of(binary.toString(), "" + d, "" + b, "" + h, "" + tq, "" + tk, "" + MASK_VALUE, dir.toString()), 600);
        Tensor out = readBf16(dir.resolve("out.bin"), b, h, tq, d);
        Tensor wrong;
        try (var ng = GradMode.noGrad()) {
            wrong = Attention.attention(q.to(DType.F64), k.to(DType.F64), flipKeys(v), null, MASK_VALUE);
        }
        assertTrue(relL2(out, wrong) > 0.05, "a reference with v's keys reversed should not match");
    }

    // ---------------------------------------------------------------------------------- helpers

    private static Tensor flipKeys(Tensor v) {
        int b = v.size(0), h = v.size(1), t = v.size(2), d = v.size(3);
        double[] a = v.toDoubleArray(), o = new double[a.length];
        for (int bh = 0; bh < b * h; bh++)
            for (int i = 0; i < t; i++)
                System.arraycopy(a, (bh * t + i) * d, o, (bh * t + (t - 1 - i)) * d, d);
        return Tensor.of(o, b, h, t, d);
    }

    /** [b, tk] mask of ones with batch row i keeping only its first keep[i] keys. */
    private static Tensor keepFirst(int b, int tk, int[] keep) {
        float[] m = new float[b * tk];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < keep[i]; j++) m[i * tk + j] = 1;
        return Tensor.of(m, b, tk);
    }

    /** log Σ_j exp(S_ij), S = q kᵀ/√d + (1 − mask)·maskValue, in float64. */
    private static Tensor logSumExp(Tensor q, Tensor k, Tensor mask) {
        int b = q.size(0), h = q.size(1), tq = q.size(2), d = q.size(3), tk = k.size(2);
        double[] s;
        try (var ng = GradMode.noGrad()) {
            s = q.to(DType.F64).matmul(k.to(DType.F64).mT()).mul(1 / Math.sqrt(d)).toDoubleArray();
        }
        double[] m = mask == null ? null : mask.toDoubleArray();
        double[] lse = new double[b * h * tq];
        for (int row = 0; row < lse.length; row++) {
            int bi = row / (h * tq);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < tk; j++) {
                s[row * tk + j] += m == null ? 0 : (1 - m[bi * tk + j]) * MASK_VALUE;
                max = Math.max(max, s[row * tk + j]);
            }
            double sum = 0;
            for (int j = 0; j < tk; j++) sum += Math.exp(s[row * tk + j] - max);
            lse[row] = max + Math.log(sum);
        }
        return Tensor.of(lse, b, h, tq);
    }

    private static void writeBf16(Path p, Tensor t) throws IOException {
        short[] bits = Bf16.bits(t);
        ByteBuffer buf = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) buf.putShort(s);
        Files.write(p, buf.array());
    }

    private static byte[] littleEndian(float[] a) {
        ByteBuffer buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : a) buf.putFloat(f);
        return buf.array();
    }

    private static Tensor readBf16(Path p, int... shape) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] a = new float[buf.remaining() / 2];
        for (int i = 0; i < a.length; i++) a[i] = Bf16.value(buf.getShort());
        for (int i = 0; i < a.length; i++) assertFalse(Float.isNaN(a[i]), p + ": element " + i + " was never written");
        return Tensor.of(a, shape);
    }

    private static Tensor readF32(Path p, int... shape) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] a = new float[buf.remaining() / 4];
        for (int i = 0; i < a.length; i++) a[i] = buf.getFloat();
        for (int i = 0; i < a.length; i++) assertFalse(Float.isNaN(a[i]), p + ": element " + i + " was never written");
        return Tensor.of(a, shape);
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static void run(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    }
}
