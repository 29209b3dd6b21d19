package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Bf16;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds and runs the drivers in kernels/src/test/emu: a kernel source compiled by the host C++
 * compiler against the CPU emulation of CUDA in cuda_emu.h, exchanging little-endian binary files
 * with the test. Without g++ the calling test is skipped with the reason (a failure when CI is set).
 */
final class Emulator {
    private Emulator() {}

    private static final Path KERNELS = Path.of(System.getProperty("gw.root", ".."), "kernels");

    /** Compiles src/test/emu/{driver}.cpp into dir; returns the executable. */
    static Path build(String driver, Path dir) throws Exception {
        String cxx = onPath("g++");
        if (cxx == null) {
            String why = "no g++ on PATH: the CPU emulation of the CUDA kernels (src/test/emu) cannot be built";
            if (System.getenv("CI") != null) fail(why + " (CI is set, so this is a failure)");
            assumeTrue(false, why);
        }
        Path emu = KERNELS.resolve("src/test/emu"), bin = dir.resolve(driver);
        // -ffp-contract=off: a*b+c stays two roundings, as __fmul_rn/__fadd_rn and nvcc's separate ops are.
        run(List.of(cxx, "-std=c++20", "-O2", "-ffp-contract=off", "-pthread", "-I" + emu, "-I" + KERNELS.resolve("src/main/cuda"),
                "-o", bin.toString(), emu.resolve(driver + ".cpp").toString()));
        return bin;
    }

    /** Runs the executable with the arguments (each turned into a string); fails on a non-zero exit. */
    static void run(Path binary, Object... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        for (Object a : args) cmd.add(String.valueOf(a));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    }

    static void writeF32(Path p, Tensor t) throws IOException {
        float[] a = t.toFloatArray();
        ByteBuffer buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : a) buf.putFloat(f);
        Files.write(p, buf.array());
    }

    static void writeBf16(Path p, Tensor t) throws IOException {
        short[] bits = Bf16.bits(t);
        ByteBuffer buf = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) buf.putShort(s);
        Files.write(p, buf.array());
    }

    /** A float32 file as a tensor; an element left NaN (the drivers' fill) was never written. */
    static Tensor readF32(Path p, int... shape) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] a = new float[buf.remaining() / 4];
        for (int i = 0; i < a.length; i++) a[i] = buf.getFloat();
        return checked(p, a, shape);
    }

    static Tensor readBf16(Path p, int... shape) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] a = new float[buf.remaining() / 2];
        for (int i = 0; i < a.length; i++) a[i] = Bf16.value(buf.getShort());
        return checked(p, a, shape);
    }

    private static Tensor checked(Path p, float[] a, int... shape) {
        for (int i = 0; i < a.length; i++)
            if (Float.isNaN(a[i])) fail(p.getFileName() + ": element " + i + " was never written (or is NaN)");
        return Tensor.of(a, shape);
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
