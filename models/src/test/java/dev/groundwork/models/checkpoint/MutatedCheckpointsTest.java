package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.SafeTensorsException;
import dev.groundwork.engine.io.SafeTensorsReadException;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutation fuzzing of every checkpoint format the loader reads: a few hundred copies of each fixture
 * with random bytes overwritten, inserted or cut (a fixed seed, so a failure reproduces). Each copy
 * must either load or be refused with the reader's own exception; any other exception type, or a
 * hang, is a missing check (the reliability review found several this way).
 */
class MutatedCheckpointsTest {
    static final int MUTANTS = 2000;

    @TempDir Path tmp;

    @TestFactory
    List<DynamicTest> everyMutantLoadsOrIsRefusedWithOurException() throws Exception {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String f : List.of("vgg16_tiny.pth", "views_dtypes.pt", "bert_legacy_format.bin", "vgbert_stage1.pth.tar"))
            seeds.put(f, Files.readAllBytes(Fixtures.file(f)));
        Path st = tmp.resolve("seed.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        t.put("b.ids", Tensor.ofLongs(new long[]{7, 8}, 2));
        TensorFiles.save(st, t, Map.of("note", "x"));
        seeds.put("seed.safetensors", Files.readAllBytes(st));
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : seeds.entrySet())
            tests.add(DynamicTest.dynamicTest(e.getKey() + " x " + MUTANTS + " mutants", () -> fuzz(e.getKey(), e.getValue())));
        return tests;
    }

    private void fuzz(String name, byte[] seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        String ext = name.substring(name.indexOf('.'));
        for (int m = 0; m < MUTANTS; m++) {
            byte[] b = mutate(seed, rnd);
            Path f = Files.write(tmp.resolve("m" + m + ext), b);
            long t0 = System.nanoTime();
            try {
                WeightLoader.read(f);
            } catch (CheckpointException | SafeTensorsException | SafeTensorsReadException | NoSuchFileException ok) {
                // refused as the project refuses
            } catch (Throwable other) {
                Path kept = Files.copy(f, tmp.resolve("failing" + ext));
                fail("mutant " + m + " of " + name + " escaped with " + other + " (kept as " + kept + ")", other);
            }
            if (System.nanoTime() - t0 > 10_000_000_000L) fail("mutant " + m + " of " + name + " took over 10 s");
            Files.delete(f);
        }
    }

    /** One to four edits: overwrite a byte, overwrite a little-endian 8-byte word with an extreme value, insert or cut a run. */
    static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            int at = rnd.nextInt(Math.max(1, b.length));
            switch (rnd.nextInt(4)) {
                case 0 -> { if (b.length > 0) b[at] = (byte) rnd.nextInt(256); }
                case 1 -> {
                    long[] extreme = {-1, Long.MAX_VALUE, 1L << 62, (1L << 31), -4, 0};
                    long v = extreme[rnd.nextInt(extreme.length)];
                    for (int i = 0; i < 8 && at + i < b.length; i++) b[at + i] = (byte) (v >>> (8 * i));
                }
                case 2 -> {
                    byte[] ins = new byte[1 + rnd.nextInt(16)];
                    for (int i = 0; i < ins.length; i++) ins[i] = (byte) rnd.nextInt(256);
                    byte[] n = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(ins, 0, n, at, ins.length);
                    System.arraycopy(b, at, n, at + ins.length, b.length - at);
                    b = n;
                }
                default -> {
                    int len = Math.min(1 + rnd.nextInt(64), b.length - at);
                    byte[] n = new byte[b.length - len];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + len, n, at, b.length - at - len);
                    b = n;
                }
            }
        }
        return b;
    }
}
