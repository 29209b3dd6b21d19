package dev.groundwork.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reuse of released float32 arrays: what may enter the pool, what comes out, and that zeroing holds. */
class CpuBufferPoolTest {
    /** Sizes no other test of this JVM allocates, so that what the pool holds for them is this test's. */
    private static int size(int salt) { return CpuBufferPool.MIN_FLOATS + 7919 * salt + 13; }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(0.5, 2.0);
        return x;
    }

    private static float[] array(Tensor t) { return CpuBackend.cpu(t).f32(); }

    @Test void aReleasedOutputIsReusedAndAZeroedAllocationIsZero() {
        int n = size(1);
        Tensor a = Tensor.empty(DType.F32, Device.CPU, n);
        float[] backing = array(a);
        a.copy_(Tensor.of(random(n, 1), n));
        a.close();
        long hits = CpuBufferPool.hits();
        Tensor b = Tensor.empty(DType.F32, Device.CPU, n);
        assertTrue(CpuBufferPool.hits() > hits, "the released array should have served the next allocation of its size");
        assertTrue(array(b) == backing, "same array reused");
        assertArrayEquals(new float[n], b.toFloatArray(), "a zeroed allocation is zero even from a dirty pooled array");
        b.close();
    }

    @Test void aWrappedArrayNeverEntersThePool() {
        int n = size(2);
        float[] mine = random(n, 2), copy = mine.clone();
        Tensor t = Tensor.of(mine, n);
        t.close();
        Tensor u = Tensor.uninitialized(DType.F32, Device.CPU, n);
        assertTrue(array(u) != mine, "the caller's array must stay the caller's");
        u.fill_(7);
        assertArrayEquals(copy, mine, 0f);
        u.close();
    }

    @Test void aLiveViewKeepsTheArrayOutOfThePool() {
        int n = size(3);
        Tensor t = Tensor.uninitialized(DType.F32, Device.CPU, n);
        t.copy_(Tensor.of(random(n, 3), n));
        Tensor view = t.narrow(0, 1, n - 1);
        float[] expected = view.toFloatArray();
        t.close();
        Tensor other = Tensor.uninitialized(DType.F32, Device.CPU, n);
        other.fill_(-1);
        assertArrayEquals(expected, view.toFloatArray(), 0f, "a view's storage was handed out while the view lived");
        view.close();
        other.close();
        Tensor again = Tensor.uninitialized(DType.F32, Device.CPU, n);   // now the storage's last reference is gone
        assertEquals(n, again.numel());
        again.close();
    }

    @Test void smallArraysAreNotPooled() {
        int n = CpuBufferPool.MIN_FLOATS - 1;
        Tensor t = Tensor.empty(DType.F32, Device.CPU, n);
        float[] backing = array(t);
        t.close();
        Tensor u = Tensor.empty(DType.F32, Device.CPU, n);
        assertTrue(array(u) != backing);
        u.close();
    }

    /** The suites run with -Dgw.cpu.poison=true (the poms' argLine): an uninitialized output starts as NaN. */
    @Test void uninitializedIsPoisonedUnderTheTestSuites() {
        assumeTrue(CpuBufferPool.poisoning(), "gw.cpu.poison is not set for this JVM");
        Tensor t = Tensor.uninitialized(DType.F32, Device.CPU, 5);
        for (float v : t.toFloatArray()) assertTrue(Float.isNaN(v));
        t.close();
    }
}
