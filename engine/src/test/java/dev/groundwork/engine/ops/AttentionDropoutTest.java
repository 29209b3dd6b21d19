package dev.groundwork.engine.ops;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout on the attention probabilities inside the one attention node: the same numbers as
 * softmax -> {@link F#dropout} -> matmul composed from separate ops (the mask is defined as that
 * op's mask), the same gradients, the generator advanced by exactly B*H*Tq*Tk, and no dropout
 * outside training.
 */
class AttentionDropoutTest {
    private static final double MASK_VALUE = -10000, P = 0.25;
    private static final int B = 2, H = 3, TQ = 5, TK = 7, D = 4;

    private record Run(float[] out, float[] dq, float[] dk, float[] dv) {}

    private static Tensor[] inputs() {
        Generator g = new Generator(11);
        return new Tensor[]{Tensor.randn(g, B, H, TQ, D), Tensor.randn(g, B, H, TK, D), Tensor.randn(g, B, H, TK, D), Tensor.randn(g, B, H, TQ, D)};
    }

    private static Tensor mask() {
        float[] m = new float[B * TK];
        for (int j = 0; j < TK; j++) m[j] = 1;
        for (int j = 0; j < TK - 2; j++) m[TK + j] = 1;
        return Tensor.of(m, B, TK);
    }

    private static Run run(boolean fusedNode, Generator gen) {
        Tensor[] x = inputs();
        Tensor q = x[0].requiresGrad(true), k = x[1].requiresGrad(true), v = x[2].requiresGrad(true);
        Tensor out;
        if (fusedNode) {
            out = F.attention(q, k, v, mask(), MASK_VALUE, P, true, gen);
        } else {
            Tensor s = q.matmul(k.mT()).mul(1 / Math.sqrt(D)).add(mask().mul(-1).add(1).mul(MASK_VALUE).reshape(B, 1, 1, TK));
            out = F.dropout(F.softmax(s, -1), P, true, gen).matmul(v);
        }
        out.backward(x[3]);
        return new Run(out.detach().toFloatArray(), q.grad().toFloatArray(), k.grad().toFloatArray(), v.grad().toFloatArray());
    }

    @Test
    void equalsSoftmaxDropoutMatmulComposedFromOps() {
        Generator g1 = new Generator(3), g2 = new Generator(3);
        Run node = run(true, g1), ops = run(false, g2);
        assertArrayEquals(ops.out, node.out, 1e-6f, "output");
        assertArrayEquals(ops.dq, node.dq, 1e-5f, "dq");
        assertArrayEquals(ops.dk, node.dk, 1e-5f, "dk");
        assertArrayEquals(ops.dv, node.dv, 1e-5f, "dv");
        assertEquals(g2.offset(), g1.offset(), "both draw B*H*Tq*Tk numbers");
        assertEquals((long) B * H * TQ * TK, g1.offset());
    }

    @Test
    void dropoutActsAndIsReproducible() {
        Run a = run(true, new Generator(3)), b = run(true, new Generator(3)), c = run(true, new Generator(4));
        assertArrayEquals(a.out, b.out, 0f, "same seed, same mask");
        assertFalse(java.util.Arrays.equals(a.out, c.out), "another seed, another mask");
        Tensor[] x = inputs();
        float[] none = F.attention(x[0], x[1], x[2], mask(), MASK_VALUE).toFloatArray();
        float[] eval = F.attention(x[0], x[1], x[2], mask(), MASK_VALUE, P, false, new Generator(3)).toFloatArray();
        assertArrayEquals(none, eval, 0f, "no dropout outside training");
        assertFalse(java.util.Arrays.equals(none, a.out), "dropout changes the output in training");
    }

    @Test
    void maskIsTheSameInFloat64() {
        Tensor[] x = inputs();
        Tensor q = x[0].to(DType.F64), k = x[1].to(DType.F64), v = x[2].to(DType.F64);
        float[] f32 = F.attention(x[0], x[1], x[2], mask(), MASK_VALUE, P, true, new Generator(8)).toFloatArray();
        float[] f64 = F.attention(q, k, v, mask().to(DType.F64), MASK_VALUE, P, true, new Generator(8)).to(DType.F32).toFloatArray();
        assertArrayEquals(f32, f64, 1e-5f, "float64 sees the float32 mask");
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor[] x = inputs();
        var e = assertThrows(IllegalArgumentException.class, () -> F.attention(x[0], x[1], x[2], null, MASK_VALUE, 0.2, true, null));
        assertTrue(e.getMessage().contains("needs a generator"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.attention(x[0], x[1], x[2], null, MASK_VALUE, 1.0, true, new Generator(1)));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    }
}
