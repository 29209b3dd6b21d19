package dev.groundwork.kernels.cuda;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Dim collapsing for kernel launches (CPU tensors suffice: only shapes and strides matter). */
class LayoutsTest {
    @Test
    void contiguousTensorsBecomeOneFlatDim() {
        Tensor a = Tensor.zeros(2, 3, 4), b = Tensor.zeros(2, 3, 4);
        var c = Layouts.collapse(a.shape(), a, b);
        assertArrayEquals(new int[]{24}, c.shape());
        assertTrue(c.flat(0) && c.flat(1));
    }

    @Test
    void broadcastAndTransposeKeepTheirDims() {
        Tensor out = Tensor.zeros(4, 5);
        Tensor row = Tensor.zeros(5).expand(4, 5);
        var c = Layouts.collapse(out.shape(), row, out);
        assertArrayEquals(new int[]{4, 5}, c.shape());
        assertArrayEquals(new long[]{0, 1}, c.strides()[0]);
        Tensor t = Tensor.zeros(5, 4).mT();
        var d = Layouts.collapse(t.shape(), t, out);
        assertArrayEquals(new long[]{1, 4}, d.strides()[0]);
        assertArrayEquals(new long[]{5, 1}, d.strides()[1]);
    }

    @Test
    void sizeOneDimsVanishAndScalarsGetOneDim() {
        Tensor a = Tensor.zeros(1, 6, 1);
        assertArrayEquals(new int[]{6}, Layouts.collapse(a.shape(), a).shape());
        Tensor s = Tensor.zeros(1);
        assertArrayEquals(new int[]{1}, Layouts.collapse(s.shape(), s).shape());
    }
}
