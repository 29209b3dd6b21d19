package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/** Elementwise ops with broadcasting; each forward is followed by its derivative. */
public final class Elementwise {
    private Elementwise() {}

    // -------------------------------------------------------------- kernels (no autograd)

    static Tensor unaryKernel(UnaryOp op, Tensor x, double p, double q) {
        Tensor out = Out.written(x, x.shape());
        x.backend().unary(op, x, out, p, q);
        return out;
    }

    static Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, DType outType) {
        Out.sameDevice(op.name().toLowerCase(), a, b);
        Out.sameDType(op.name().toLowerCase(), a, b);
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = Out.written(a, outType, shape);
        a.backend().binary(op, rawExpand(a, shape), rawExpand(b, shape), out);
        return out;
    }

    /** Broadcast view (stride 0 on expanded dims) outside autograd; checks that the shapes broadcast. */
    public static Tensor broadcastView(Tensor t, int[] shape) {
        if (!java.util.Arrays.equals(Shape.broadcast(t.shape(), shape), shape))
            throw new IllegalArgumentException("shape " + Shape.str(t.shape()) + " does not broadcast to " + Shape.str(shape));
        return rawExpand(t, shape);
    }

    /** Broadcast view for a kernel argument (stride 0 on expanded dims), outside autograd. */
    static Tensor rawExpand(Tensor t, int[] shape) {
        int r = shape.length, tr = t.dim();
        int[] s = t.shape(), st = t.strides(), nst = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - tr);
            nst[i] = j < 0 || (s[j] == 1 && shape[i] != 1) ? 0 : st[j];
        }
        return t.asStrided(shape, nst, t.offset());
    }

    // -------------------------------------------------------------- binary arithmetic

    public static Tensor add(Tensor a, Tensor b) {
        Tensor y = binaryKernel(BinaryOp.ADD, a, b, a.dtype());
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("add", y, new Tensor[]{a, b},
                g -> new Tensor[]{Reductions.sumToShape(g, sa), Reductions.sumToShape(g, sb)});
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor y = binaryKernel(BinaryOp.SUB, a, b, a.dtype());
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("sub", y, new Tensor[]{a, b},
                g -> new Tensor[]{Reductions.sumToShape(g, sa), Reductions.sumToShape(g.neg(), sb)});
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor y = binaryKernel(BinaryOp.MUL, a, b, a.dtype());
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("mul", y, new Tensor[]{a, b}, g -> new Tensor[]{
                a.requiresGrad() ? Reductions.sumToShape(g.mul(b), sa) : null,
                b.requiresGrad() ? Reductions.sumToShape(g.mul(a), sb) : null});
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor y = binaryKernel(BinaryOp.DIV, a, b, a.dtype());
        int[] sa = a.shape(), sb = b.shape();
        // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -y/b
        return Autograd.record("div", y, new Tensor[]{a, b}, g -> new Tensor[]{
                a.requiresGrad() ? Reductions.sumToShape(g.div(b), sa) : null,
                b.requiresGrad() ? Reductions.sumToShape(g.mul(y).div(b).neg(), sb) : null});
    }

    public static Tensor maximum(Tensor a, Tensor b) { return extremum(BinaryOp.MAXIMUM, BinaryOp.GE, a, b); }

    public static Tensor minimum(Tensor a, Tensor b) { return extremum(BinaryOp.MINIMUM, BinaryOp.LE, a, b); }

    /** The gradient goes to a where a wins (ties to a), else to b. */
    private static Tensor extremum(BinaryOp op, BinaryOp wins, Tensor a, Tensor b) {
        Tensor y = binaryKernel(op, a, b, a.dtype());
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record(op.name().toLowerCase(), y, new Tensor[]{a, b}, g -> {
            Tensor aWins = binaryKernel(wins, a, b, a.dtype());
            Tensor ga = g.mul(aWins);
            return new Tensor[]{Reductions.sumToShape(ga, sa), Reductions.sumToShape(g.sub(ga), sb)};
        });
    }

    /** 1.0 where the comparison holds, else 0.0; not differentiable. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        return binaryKernel(op, a, b, a.dtype().isFloating() ? a.dtype() : DType.F32);
    }

    // -------------------------------------------------------------- scalar and unary

    public static Tensor addScalar(Tensor x, double c) {
        return Autograd.record("add_scalar", unaryKernel(UnaryOp.ADD_SCALAR, x, c, 0), new Tensor[]{x}, g -> new Tensor[]{g});
    }

    public static Tensor mulScalar(Tensor x, double c) {
        return Autograd.record("mul_scalar", unaryKernel(UnaryOp.MUL_SCALAR, x, c, 0), new Tensor[]{x}, g -> new Tensor[]{g.mul(c)});
    }

    public static Tensor neg(Tensor x) {
        return Autograd.record("neg", unaryKernel(UnaryOp.NEG, x, 0, 0), new Tensor[]{x}, g -> new Tensor[]{g.neg()});
    }

    public static Tensor exp(Tensor x) {
        Tensor y = unaryKernel(UnaryOp.EXP, x, 0, 0);
        return Autograd.record("exp", y, new Tensor[]{x}, g -> new Tensor[]{g.mul(y)});
    }

    public static Tensor log(Tensor x) {
        return Autograd.record("log", unaryKernel(UnaryOp.LOG, x, 0, 0), new Tensor[]{x}, g -> new Tensor[]{g.div(x)});
    }

    public static Tensor sqrt(Tensor x) {
        Tensor y = unaryKernel(UnaryOp.SQRT, x, 0, 0);
        return Autograd.record("sqrt", y, new Tensor[]{x}, g -> new Tensor[]{g.div(y).mul(0.5)});
    }

    public static Tensor rsqrt(Tensor x) {
        Tensor y = unaryKernel(UnaryOp.RSQRT, x, 0, 0);
        // d x^-1/2 = -1/2 x^-3/2 = -1/2 y^3
        return Autograd.record("rsqrt", y, new Tensor[]{x}, g -> new Tensor[]{g.mul(y.pow(3)).mul(-0.5)});
    }

    public static Tensor abs(Tensor x) {
        return Autograd.record("abs", unaryKernel(UnaryOp.ABS, x, 0, 0), new Tensor[]{x},
                g -> new Tensor[]{g.mul(unaryKernel(UnaryOp.SIGN, x, 0, 0))});
    }

    public static Tensor square(Tensor x) {
        return Autograd.record("square", unaryKernel(UnaryOp.SQUARE, x, 0, 0), new Tensor[]{x}, g -> new Tensor[]{g.mul(x).mul(2)});
    }

    public static Tensor pow(Tensor x, double p) {
        Tensor y = unaryKernel(UnaryOp.POW_SCALAR, x, p, 0);
        return Autograd.record("pow", y, new Tensor[]{x},
                g -> new Tensor[]{p == 0 ? g.mul(0) : g.mul(x.pow(p - 1)).mul(p)});
    }

    public static Tensor clamp(Tensor x, double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return Autograd.record("clamp", unaryKernel(UnaryOp.CLAMP, x, min, max), new Tensor[]{x},
                g -> new Tensor[]{g.mul(unaryKernel(UnaryOp.CLAMP_MASK, x, min, max))});
    }

    public static Tensor relu(Tensor x) {
        return Autograd.record("relu", unaryKernel(UnaryOp.RELU, x, 0, 0), new Tensor[]{x},
                g -> new Tensor[]{binaryKernel(BinaryOp.RELU_BWD, g, x, g.dtype())});
    }

    /** Exact (erf) GELU, as BERT uses it. */
    public static Tensor gelu(Tensor x) {
        return Autograd.record("gelu", unaryKernel(UnaryOp.GELU, x, 0, 0), new Tensor[]{x},
                g -> new Tensor[]{binaryKernel(BinaryOp.GELU_BWD, g, x, g.dtype())});
    }

    public static Tensor tanh(Tensor x) {
        Tensor y = unaryKernel(UnaryOp.TANH, x, 0, 0);
        return Autograd.record("tanh", y, new Tensor[]{x}, g -> new Tensor[]{binaryKernel(BinaryOp.TANH_BWD, g, y, g.dtype())});
    }

    public static Tensor sigmoid(Tensor x) {
        Tensor y = unaryKernel(UnaryOp.SIGMOID, x, 0, 0);
        return Autograd.record("sigmoid", y, new Tensor[]{x}, g -> new Tensor[]{binaryKernel(BinaryOp.SIGMOID_BWD, g, y, g.dtype())});
    }

    /** cond ? a : b with broadcasting; cond is any dtype (non-zero = true) and gets no gradient. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Out.sameDevice("where", cond, a, b);
        Out.sameDType("where", a, b);
        int[] shape = Shape.broadcast(Shape.broadcast(cond.shape(), a.shape()), b.shape());
        Tensor out = Out.like(a, shape);
        a.backend().where(rawExpand(cond, shape), rawExpand(a, shape), rawExpand(b, shape), out);
        int[] sa = a.shape(), sb = b.shape();
        return Autograd.record("where", out, new Tensor[]{null, a, b}, g -> {
            Tensor zero = Tensor.zeros(g.dtype(), g.device());
            return new Tensor[]{null,
                    a.requiresGrad() ? Reductions.sumToShape(where(cond, g, zero), sa) : null,
                    b.requiresGrad() ? Reductions.sumToShape(where(cond, zero, g), sb) : null};
        });
    }

    /** x with value wherever mask is non-zero (mask broadcasts to x). */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        return where(mask, Tensor.full(value, x.dtype(), x.device()), x);
    }
}
