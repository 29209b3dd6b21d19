package dev.groundwork.engine.tensor;

import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Views share storage, index the right elements, and refuse what they cannot express. */
class ViewTest {
    private final Generator gen = new Generator(7);

    private static Tensor iota(int... shape) {
        float[] a = new float[Shape.numel(shape)];
        for (int i = 0; i < a.length; i++) a[i] = i + 1;
        return Tensor.of(a, shape);
    }

    @Test void transposeIndexesWithoutCopy() {
        Tensor x = iota(2, 3);
        Tensor t = x.transpose(0, 1);
        assertArrayEquals(new int[]{3, 2}, t.shape());
        assertSame(x.storage(), t.storage());
        assertFalse(t.isContiguous());
        assertEquals(x.get(1, 2), t.get(2, 1));
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, t.contiguous().toFloatArray());
    }

    @Test void viewOfNonContiguousWhenChunksAllow() {
        Tensor x = iota(4, 6).narrow(1, 0, 6).permute(1, 0);   // [6,4], strides [1,6]
        Tensor v = x.view(2, 3, 4);                               // splits the first dim only
        assertSame(x.storage(), v.storage());
        assertEquals(x.get(4, 3), v.get(1, 1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.view(24));
        assertTrue(e.getMessage().contains("use reshape"), e.getMessage());
        assertArrayEquals(x.contiguous().toFloatArray(), x.reshape(24).toFloatArray());
    }

    @Test void reshapeInfersMinusOne() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(new int[]{6, 4}, x.reshape(-1, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, -1));
    }

    @Test void narrowSliceSelect() {
        Tensor x = iota(3, 5);
        assertArrayEquals(new float[]{7, 8, 9}, x.narrow(0, 1, 1).narrow(1, 1, 3).toFloatArray());
        assertArrayEquals(new float[]{1, 3, 5, 6, 8, 10}, x.narrow(0, 0, 2).slice(1, 0, 5, 2).toFloatArray());
        assertArrayEquals(new float[]{11, 12, 13, 14, 15}, x.select(0, -1).toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, 3));
        assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 3, 3));
    }

    @Test void expandBroadcastsWithZeroStrides() {
        Tensor x = iota(3, 1);
        Tensor e = x.expand(2, 3, 4);
        assertArrayEquals(new int[]{0, 1, 0}, e.strides());
        assertEquals(2.0, e.get(1, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> iota(3, 2).expand(3, 4));
    }

    @Test void squeezeUnsqueeze() {
        Tensor x = iota(2, 1, 3);
        assertArrayEquals(new int[]{2, 3}, x.squeeze(1).shape());
        assertArrayEquals(new int[]{2, 1, 3}, x.squeeze(0).shape(), "squeezing a non-1 dim is a no-op");
        assertArrayEquals(new int[]{2, 1, 3, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[]{1, 2, 1, 3}, x.unsqueeze(0).shape());
    }

    @Test void broadcastingArithmeticMatchesLoops() {
        Tensor a = Tensor.randn(gen, 4, 1, 3), b = Tensor.randn(gen, 5, 1);
        Tensor c = a.mul(b).add(b);
        assertArrayEquals(new int[]{4, 5, 3}, c.shape());
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++)
                for (int k = 0; k < 3; k++)
                    assertEquals(a.get(i, 0, k) * b.get(j, 0) + b.get(j, 0), c.get(i, j, k), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test void arithmeticOnStridedViews() {
        Tensor x = Tensor.randn(gen, 6, 8);
        Tensor t = x.mT();                        // [8,6] strided
        Tensor s = t.add(t.exp());
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 6; j++)
                assertEquals(x.get(j, i) + Math.exp(x.get(j, i)), s.get(i, j), 1e-5);
    }

    @Test void largeTensorsTakeTheParallelPath() {
        Tensor x = Tensor.randn(gen, 300, 401);   // over the parallel grain
        float[] a = x.toFloatArray(), y = x.mul(2).add(1).toFloatArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i] * 2 + 1, y[i], 1e-6);
        Tensor row = x.reshape(-1);
        assertEquals(row.sum().item(), x.sum(0, false).sum().item(), 1e-2);
    }

    @Test void reductionsAndIndices() {
        Tensor x = Tensor.of(new float[]{3, 9, 9, 1, -2, 5}, 2, 3);
        var m = x.max(1, false);
        assertArrayEquals(new float[]{9, 5}, m.values().toFloatArray());
        assertArrayEquals(new long[]{1, 2}, m.indices().toLongArray(), "first maximum wins ties");
        assertArrayEquals(new float[]{3, 9, 9}, x.max(0, false).values().toFloatArray());
        assertEquals(25, x.sum().item(), 1e-6);
        assertArrayEquals(new float[]{2f, 3.5f, 7f}, x.mean(0, false).toFloatArray(), 1e-6f);
        assertEquals((16 + 4 + 4) / 2.0, x.var(1, true, false).get(0), 1e-5);
    }

    @Test void dtypesConvert() {
        Tensor l = Tensor.ofLongs(new long[]{1, -2, 3}, 3);
        assertArrayEquals(new float[]{1, -2, 3}, l.to(DType.F32).toFloatArray());
        assertEquals(DType.F64, l.to(DType.F64).dtype());
        assertThrows(IllegalStateException.class, () -> l.requiresGrad(true));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).add(Tensor.zeros(DType.F64, Device.CPU, 2)));
    }

    @Test void scalarTensors() {
        Tensor s = Tensor.scalar(2.5);
        assertEquals(0, s.dim());
        assertEquals(2.5, s.mul(Tensor.ones(3)).sum().item() / 3, 1e-6);
        assertEquals(2.5, s.item());
    }

    @Test void copyIntoBroadcastsAndConverts() {
        Tensor dst = Tensor.zeros(2, 3);
        dst.copy_(Tensor.ofLongs(new long[]{4, 5, 6}, 3));
        assertArrayEquals(new float[]{4, 5, 6, 4, 5, 6}, dst.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> dst.copy_(Tensor.zeros(4)));
    }
}
