package dev.groundwork.engine.cpu;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Elementwise kernels over strided operands. Each formula is written once, in double (exact for
 * F64, rounded once for F32); float32 rows of the commonest ops get dedicated tight loops that the
 * JIT vectorises.
 */
final class CpuElementwise {
    private CpuElementwise() {}

    /** Rows below this many elements in total run on the calling thread. */
    private static final int PARALLEL_GRAIN = 1 << 15;

    static double unary(UnaryOp op, double x, double p, double q) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case RECIP -> 1 / x;
            case SQUARE -> x * x;
            case RELU -> x > 0 ? x : 0;
            case GELU -> ScalarMath.gelu(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> ScalarMath.sigmoid(x);
            case ERF -> ScalarMath.erf(x);
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case POW_SCALAR -> p == 2 ? x * x : p == 1 ? x : p == 0.5 ? Math.sqrt(x) : Math.pow(x, p);
            case CLAMP -> Double.isNaN(x) ? x : Math.min(Math.max(x, p), q);
            case CLAMP_MASK -> x >= p && x <= q ? 1 : 0;
            case NONZERO -> x != 0 ? 1 : 0;
        };
    }

    static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case POW -> Math.pow(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case RELU_BWD -> b > 0 ? a : 0;
            case GELU_BWD -> a * ScalarMath.geluGrad(b);
            case TANH_BWD -> a * (1 - b * b);
            case SIGMOID_BWD -> a * b * (1 - b);
        };
    }

    static void unary(UnaryOp op, Tensor x, Tensor out, double p, double q) {
        CpuStorage xs = CpuBackend.cpu(x), os = CpuBackend.cpu(out);
        int[] shape = out.shape();
        int[][] strides = {x.strides(), out.strides()};
        int[] offsets = {x.offset(), out.offset()};
        boolean f32 = x.dtype() == DType.F32 && out.dtype() == DType.F32;
        forRows(shape, strides, offsets, out.numel(), (rows, n) -> {
            int sx = rows.innerStride(0), so = rows.innerStride(1);
            if (f32) {
                float[] a = xs.f32(), y = os.f32();
                int ox = rows.off[0], oy = rows.off[1];
                if (sx == 1 && so == 1 && unaryF32Contiguous(op, a, ox, y, oy, n, (float) p)) return;
                for (int j = 0; j < n; j++) y[oy + j * so] = (float) unary(op, a[ox + j * sx], p, q);
            } else {
                for (int j = 0; j < n; j++) os.set(rows.off[1] + j * so, unary(op, xs.get(rows.off[0] + j * sx), p, q));
            }
        });
    }

    private static boolean unaryF32Contiguous(UnaryOp op, float[] a, int ox, float[] y, int oy, int n, float p) {
        switch (op) {
            case ADD_SCALAR -> { for (int j = 0; j < n; j++) y[oy + j] = a[ox + j] + p; }
            case MUL_SCALAR -> { for (int j = 0; j < n; j++) y[oy + j] = a[ox + j] * p; }
            case NEG -> { for (int j = 0; j < n; j++) y[oy + j] = -a[ox + j]; }
            case RELU -> { for (int j = 0; j < n; j++) y[oy + j] = Math.max(a[ox + j], 0f); }
            case SQUARE -> { for (int j = 0; j < n; j++) y[oy + j] = a[ox + j] * a[ox + j]; }
            case GELU -> VectorMath.gelu(a, ox, y, oy, n);
            case EXP -> VectorMath.exp(a, ox, y, oy, n);
            case TANH -> VectorMath.tanh(a, ox, y, oy, n);
            default -> { return false; }
        }
        return true;
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        CpuStorage as = CpuBackend.cpu(a), bs = CpuBackend.cpu(b), os = CpuBackend.cpu(out);
        int[][] strides = {a.strides(), b.strides(), out.strides()};
        int[] offsets = {a.offset(), b.offset(), out.offset()};
        boolean f32 = a.dtype() == DType.F32 && b.dtype() == DType.F32 && out.dtype() == DType.F32;
        forRows(out.shape(), strides, offsets, out.numel(), (rows, n) -> {
            int sa = rows.innerStride(0), sb = rows.innerStride(1), so = rows.innerStride(2);
            int oa = rows.off[0], ob = rows.off[1], oo = rows.off[2];
            if (f32) {
                float[] x = as.f32(), w = bs.f32(), y = os.f32();
                if (so == 1 && binaryF32(op, x, oa, sa, w, ob, sb, y, oo, n)) return;
                for (int j = 0; j < n; j++) y[oo + j * so] = (float) binary(op, x[oa + j * sa], w[ob + j * sb]);
            } else {
                for (int j = 0; j < n; j++) os.set(oo + j * so, binary(op, as.get(oa + j * sa), bs.get(ob + j * sb)));
            }
        });
    }

    /** Tight loops for the arithmetic that dominates training (bias adds, residuals, scaling). */
    private static boolean binaryF32(BinaryOp op, float[] x, int oa, int sa, float[] w, int ob, int sb, float[] y, int oo, int n) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] + w[ob + j]; }
                case SUB -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] - w[ob + j]; }
                case MUL -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] * w[ob + j]; }
                case DIV -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] / w[ob + j]; }
                case GELU_BWD -> VectorMath.geluBackward(x, oa, w, ob, y, oo, n);
                case RELU_BWD -> { for (int j = 0; j < n; j++) y[oo + j] = w[ob + j] > 0 ? x[oa + j] : 0f; }
                case TANH_BWD -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] * (1f - w[ob + j] * w[ob + j]); }
                case SIGMOID_BWD -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] * w[ob + j] * (1f - w[ob + j]); }
                default -> { return false; }
            }
            return true;
        }
        if (sa == 1 && sb == 0) {
            float c = w[ob];
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] + c; }
                case SUB -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] - c; }
                case MUL -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] * c; }
                case DIV -> { for (int j = 0; j < n; j++) y[oo + j] = x[oa + j] / c; }
                default -> { return false; }
            }
            return true;
        }
        return false;
    }

    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        CpuStorage cs = CpuBackend.cpu(cond), as = CpuBackend.cpu(a), bs = CpuBackend.cpu(b), os = CpuBackend.cpu(out);
        int[][] strides = {cond.strides(), a.strides(), b.strides(), out.strides()};
        int[] offsets = {cond.offset(), a.offset(), b.offset(), out.offset()};
        forRows(out.shape(), strides, offsets, out.numel(), (rows, n) -> {
            int sc = rows.innerStride(0), sa = rows.innerStride(1), sb = rows.innerStride(2), so = rows.innerStride(3);
            for (int j = 0; j < n; j++) {
                boolean c = cs.get(rows.off[0] + j * sc) != 0;
                os.set(rows.off[3] + j * so, c ? as.get(rows.off[1] + j * sa) : bs.get(rows.off[2] + j * sb));
            }
        });
    }

    static void copy(Tensor src, Tensor dst) {
        CpuStorage ss = CpuBackend.cpu(src), ds = CpuBackend.cpu(dst);
        int[][] strides = {src.strides(), dst.strides()};
        int[] offsets = {src.offset(), dst.offset()};
        boolean f32 = src.dtype() == DType.F32 && dst.dtype() == DType.F32;
        forRows(dst.shape(), strides, offsets, dst.numel(), (rows, n) -> {
            int s0 = rows.innerStride(0), s1 = rows.innerStride(1), o0 = rows.off[0], o1 = rows.off[1];
            if (f32) {
                float[] x = ss.f32(), y = ds.f32();
                if (s0 == 1 && s1 == 1) System.arraycopy(x, o0, y, o1, n);
                else for (int j = 0; j < n; j++) y[o1 + j * s1] = x[o0 + j * s0];
            } else if (src.dtype() == DType.I64 && dst.dtype() == DType.I64) {
                long[] x = ss.i64(), y = ds.i64();
                for (int j = 0; j < n; j++) y[o1 + j * s1] = x[o0 + j * s0];
            } else {
                for (int j = 0; j < n; j++) ds.set(o1 + j * s1, ss.get(o0 + j * s0));
            }
        });
    }

    static void fill(Tensor dst, double v) {
        CpuStorage ds = CpuBackend.cpu(dst);
        forRows(dst.shape(), new int[][]{dst.strides()}, new int[]{dst.offset()}, dst.numel(), (rows, n) -> {
            int s = rows.innerStride(0), o = rows.off[0];
            for (int j = 0; j < n; j++) ds.set(o + j * s, v);
        });
    }

    interface RowBody { void run(Rows rows, int rowLength); }

    /** Runs body once per innermost row, splitting rows across the pool when the tensor is large. */
    static void forRows(int[] shape, int[][] strides, int[] offsets, int numel, RowBody body) {
        Rows probe = new Rows(shape, strides, offsets);
        if (probe.rows == 0) return;
        int rowLen = probe.rowLength;
        if (probe.rows == 1 && numel >= PARALLEL_GRAIN) {
            // One long row (a flattened contiguous tensor): split the row itself.
            CpuThreads.parallelFor(0, rowLen, PARALLEL_GRAIN, (from, to) -> {
                Rows seg = new Rows(shape, strides, offsets);
                for (int k = 0; k < offsets.length; k++) seg.off[k] += from * seg.innerStride(k);
                body.run(seg, to - from);
            });
            return;
        }
        if (numel < PARALLEL_GRAIN) {
            for (int r = 0; r < probe.rows; r++) {
                if (r > 0) probe.advance();
                body.run(probe, rowLen);
            }
            return;
        }
        int grainRows = Math.max(1, PARALLEL_GRAIN / Math.max(rowLen, 1));
        CpuThreads.parallelFor(0, probe.rows, grainRows, (from, to) -> {
            Rows rows = new Rows(shape, strides, offsets);
            rows.seek(from, offsets);
            for (int r = from; r < to; r++) {
                if (r > from) rows.advance();
                body.run(rows, rowLen);
            }
        });
    }
}
