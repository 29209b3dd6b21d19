package dev.groundwork.kernels.cuda;

import org.junit.jupiter.api.Test;

import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;
import static org.junit.jupiter.api.Assertions.*;

/** Arguments are packed against their entry point: a wrong type, one too many or one too few is refused, naming the kernel. */
class KernelArgsTest {
    private static final EntryPoint K = EntryPoint.of("some_file", "gw_some_kernel", PTR, I64, LAYOUT, F32);

    @Test
    void aWrongTypeIsRefusedAtTheArgumentNamingTheKernel() {
        var e = assertThrows(IllegalStateException.class, () -> K.args().ptr(0).i32(3));
        assertEquals("some_file.cu gw_some_kernel: argument 2 is declared I64 but a I32 was packed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> K.args().ptr(0).i64(3).f32(1));
        assertTrue(e.getMessage().contains("argument 3 is declared LAYOUT but a F32"), e.getMessage());
    }

    @Test
    void tooManyOrTooFewArgumentsAreRefused() {
        var e = assertThrows(IllegalStateException.class,
                () -> K.args().ptr(0).i64(3).layout(new int[]{2}, new long[]{1}).f32(1).f64(2));
        assertTrue(e.getMessage().contains("gw_some_kernel takes 4 arguments; a F64 was packed as argument 5"), e.getMessage());
        var shortList = K.args().ptr(0).i64(3);
        e = assertThrows(IllegalStateException.class, shortList::requireComplete);
        assertEquals("some_file.cu gw_some_kernel takes 4 arguments, 2 were packed", e.getMessage());
        K.args().ptr(0).i64(3).layout(new int[]{2}, new long[]{1}).f32(1).requireComplete();
    }

    @Test
    void aTwinWithMoreParametersKeepsTheFileAndTheLeadingTypes() {
        EntryPoint drop = K.with("gw_some_kernel_drop", F64, I64, I64);
        assertEquals("some_file", drop.file());
        assertEquals(java.util.List.of(PTR, I64, LAYOUT, F32, F64, I64, I64), drop.params());
        assertEquals(java.util.List.of(PTR, I64, LAYOUT, F32), K.params(), "the original is unchanged");
    }
}
