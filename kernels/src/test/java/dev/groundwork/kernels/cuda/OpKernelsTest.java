package dev.groundwork.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The fused-kernel map answers by interface, null for a kind it does not hold, and refuses a kind twice. */
class OpKernelsTest {
    interface Twice { int twice(int x); }

    interface Other { int other(); }

    @Test
    void answersByInterfaceAndNullForAnUnknownKind() {
        OpKernels k = new OpKernels().put(Twice.class, x -> 2 * x);
        assertEquals(6, k.get(Twice.class).twice(3));
        assertNull(k.get(Other.class));
        assertThrows(IllegalStateException.class, () -> k.put(Twice.class, x -> x));
        assertThrows(IllegalArgumentException.class, () -> new OpKernels().put(String.class, "not a kernel interface"));
    }
}
