package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class EmaTest {
    @Test
    void tracksTheAverageAndSwaps() {
        SplittableRandom r = new SplittableRandom(51);
        double[] p = randoms(r, 5);
        Tensor w = param(p, 5);
        Ema ema = new Ema(List.of(w), 0.9);
        double[] shadow = p.clone();
        for (int t = 0; t < 3; t++) {
            p = randoms(r, 5);
            w.copy_(Tensor.of(p, 5));
            ema.update();
            for (int i = 0; i < 5; i++) shadow[i] = 0.9 * shadow[i] + 0.1 * p[i];
            assertClose(shadow, ema.shadow().get(0).toDoubleArray(), 1e-14, "update " + (t + 1));
        }
        assertEquals(3, ema.updates());

        double[] averaged = ema.shadow().get(0).toDoubleArray();
        ema.swap();
        assertArrayEquals(averaged, w.toDoubleArray(), "swapped in");
        assertArrayEquals(p, ema.shadow().get(0).toDoubleArray(), "the live weights wait in the shadow");
        ema.swap();
        assertArrayEquals(p, w.toDoubleArray(), "swapped back");

        Tensor other = param(randoms(r, 5), 5);
        ema.copyTo(List.of(other));
        assertArrayEquals(averaged, other.toDoubleArray(), "copyTo");
    }

    @Test
    void stateDictRoundTrip() {
        SplittableRandom r = new SplittableRandom(52);
        Tensor w = param(randoms(r, 4), 2, 2);
        Ema ema = new Ema(List.of(w), 0.99);
        w.copy_(Tensor.of(randoms(r, 4), 2, 2));
        ema.update();
        Ema fresh = new Ema(List.of(w), 0.99);
        fresh.loadStateDict(throughHost(ema.stateDict()));
        assertArrayEquals(ema.shadow().get(0).toDoubleArray(), fresh.shadow().get(0).toDoubleArray());
        assertEquals(1, fresh.updates());
        var e = assertThrows(IllegalArgumentException.class, () -> new Ema(List.of(w), 0.9).loadStateDict(ema.stateDict()));
        assertTrue(e.getMessage().contains("'decay'"), e.getMessage());
    }
}
