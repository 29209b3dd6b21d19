package dev.groundwork.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CpuThreadsTest {

    @Test
    void coversEveryIndexExactlyOnceWithChunksAtLeastGrain() {
        assertTrue(CpuThreads.threads() >= 1);
        for (int len : new int[] {0, 1, 7, 100, 1001}) {
            for (int grain : new int[] {1, 3, 64, 5000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(len + 5);
                int g = grain, l = len;
                CpuThreads.parallelFor(5, 5 + len, grain, (from, to) -> {
                    assertTrue(to - from >= Math.min(g, l), "chunk " + from + ".." + to + " below grain " + g);
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < len + 5; i++) {
                    assertEquals(i >= 5 ? 1 : 0, hits.get(i), "index " + i + " len " + len + " grain " + grain);
                }
            }
        }
    }

    @Test
    void nestedLoopsRunAndComplete() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        CpuThreads.parallelFor(0, 64, 1, (a0, a1) -> {
            for (int a = a0; a < a1; a++) {
                int row = a;
                CpuThreads.parallelFor(0, 64, 1, (b0, b1) -> {
                    for (int b = b0; b < b1; b++) {
                        hits.incrementAndGet(row * 64 + b);
                    }
                });
            }
        });
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void propagatesExceptions() {
        assertThrows(IllegalStateException.class, () -> CpuThreads.parallelFor(0, 1000, 1, (from, to) -> {
            if (from <= 700 && 700 < to) {
                throw new IllegalStateException("boom");
            }
        }));
    }
}
