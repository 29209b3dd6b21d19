package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Views (no copy: new shape/strides/offset over the same storage) and the few copies that change
 * layout, device or dtype. Each backward maps the view's gradient back onto the base's shape.
 */
public final class Views {
    private Views() {}

    public static Tensor view(Tensor x, int... newShape) {
        int[] shape = inferShape(x, newShape);
        int[] strides = viewStrides(x, shape);
        if (strides == null)
            throw new IllegalArgumentException("view " + Shape.str(shape) + " is not possible on a tensor of shape "
                    + Shape.str(x.shape()) + " with strides " + Shape.str(x.strides()) + "; use reshape()");
        int[] in = x.shape();
        return Autograd.record("view", x.asStrided(shape, strides, x.offset()), new Tensor[]{x}, g -> new Tensor[]{g.reshape(in)});
    }

    /** A view when the layout allows, else a contiguous copy reshaped. */
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] shape = inferShape(x, newShape);
        return viewStrides(x, shape) != null ? view(x, shape) : view(contiguous(x), shape);
    }

    public static Tensor flatten(Tensor x, int start, int end) {
        int r = x.dim();
        if (r == 0) return reshape(x, 1);
        start = Shape.dim(start, r);
        end = Shape.dim(end, r);
        int[] s = x.shape();
        int[] ns = new int[r - (end - start)];
        int k = 0;
        for (int d = 0; d < start; d++) ns[k++] = s[d];
        int m = 1;
        for (int d = start; d <= end; d++) m *= s[d];
        ns[k++] = m;
        for (int d = end + 1; d < r; d++) ns[k++] = s[d];
        return reshape(x, ns);
    }

    private static int[] inferShape(Tensor x, int[] newShape) {
        int infer = -1, known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be -1 in " + Shape.str(newShape));
                infer = i;
            } else known *= newShape[i];
        }
        int[] shape = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0)
                throw new IllegalArgumentException("shape " + Shape.str(newShape) + " is invalid for " + x.numel() + " elements");
            shape[infer] = x.numel() / known;
        }
        if (Shape.numel(shape) != x.numel())
            throw new IllegalArgumentException("shape " + Shape.str(newShape) + " is invalid for a tensor of shape " + Shape.str(x.shape()));
        return shape;
    }

    /**
     * Strides for viewing x as shape without copying, or null when the layout forbids it. Old dims are
     * cut into chunks that are each contiguous in memory; every chunk must be covered exactly by a run
     * of new dims, which then take strides inside that chunk.
     */
    private static int[] viewStrides(Tensor x, int[] shape) {
        if (x.isContiguous()) return Shape.contiguousStrides(shape);
        int[] os = x.shape(), ost = x.strides();
        int[] ns = new int[shape.length];
        if (x.numel() == 0) return Shape.contiguousStrides(shape);
        int vd = shape.length - 1;
        long chunkStride = ost.length == 0 ? 1 : ost[ost.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int td = os.length - 1; td >= 0; td--) {
            tensorNumel *= os[td];
            boolean chunkEnds = td == 0 || (os[td - 1] != 1 && ost[td - 1] != tensorNumel * chunkStride);
            if (!chunkEnds) continue;
            while (vd >= 0 && (viewNumel < tensorNumel || shape[vd] == 1)) {
                ns[vd] = (int) (viewNumel * chunkStride);
                viewNumel *= shape[vd];
                vd--;
            }
            if (viewNumel != tensorNumel) return null;
            if (td > 0) {
                chunkStride = ost[td - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }
        return vd == -1 ? ns : null;
    }

    public static Tensor permute(Tensor x, int... order) {
        int r = x.dim();
        if (order.length != r) throw new IllegalArgumentException("permute order " + Shape.str(order) + " for rank " + r);
        int[] s = x.shape(), st = x.strides(), ns = new int[r], nst = new int[r], inverse = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shape.dim(order[i], r);
            if (used[d]) throw new IllegalArgumentException("permute order " + Shape.str(order) + " repeats dim " + d);
            used[d] = true;
            ns[i] = s[d];
            nst[i] = st[d];
            inverse[d] = i;
        }
        return Autograd.record("permute", x.asStrided(ns, nst, x.offset()), new Tensor[]{x}, g -> new Tensor[]{permute(g, inverse)});
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int r = x.dim();
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        int a = Shape.dim(d0, r), b = Shape.dim(d1, r);
        order[a] = b;
        order[b] = a;
        return permute(x, order);
    }

    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        return slice(x, dim, start, start + length, 1);
    }

    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shape.dim(dim, x.dim());
        int n = x.size(d);
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        if (start < 0 || end > n || start > end)
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") out of range for dim " + d + " of size " + n);
        int[] s = x.shape(), st = x.strides();
        s[d] = (end - start + step - 1) / step;
        int off = x.offset() + start * st[d];
        st[d] *= step;
        int[] in = x.shape();
        DType dt = x.dtype();
        Device dev = x.device();
        return Autograd.record("slice", x.asStrided(s, st, off), new Tensor[]{x}, g -> {
            Tensor gx = Tensor.zeros(dt, dev, in);
            Tensor target = gx.asStrided(gx.shape(), gx.strides(), 0);
            int[] ts = target.shape(), tst = target.strides();
            ts[d] = g.size(d);
            int toff = start * tst[d];
            tst[d] *= step;
            Backends.of(dev).copy(g, target.asStrided(ts, tst, toff));
            return new Tensor[]{gx};
        });
    }

    public static Tensor select(Tensor x, int dim, int index) {
        int d = Shape.dim(dim, x.dim());
        int n = x.size(d);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + index + " out of range for dim " + d + " of size " + n);
        return squeeze(slice(x, d, i, i + 1, 1), d);
    }

    public static Tensor expand(Tensor x, int... newShape) {
        int r = newShape.length, xr = x.dim();
        if (r < xr) throw new IllegalArgumentException("expand to " + Shape.str(newShape) + " has fewer dims than " + Shape.str(x.shape()));
        int[] s = x.shape(), st = x.strides(), ns = new int[r], nst = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - xr);
            int target = newShape[i];
            if (j < 0) {
                if (target < 0) throw new IllegalArgumentException("expand: -1 not allowed for new leading dim " + i);
                ns[i] = target;
                nst[i] = 0;
            } else if (target == -1 || target == s[j]) {
                ns[i] = s[j];
                nst[i] = st[j];
            } else if (s[j] == 1) {
                ns[i] = target;
                nst[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot expand " + Shape.str(x.shape()) + " to " + Shape.str(newShape));
            }
        }
        if (Arrays.equals(ns, s)) return x;
        int[] in = x.shape();
        return Autograd.record("expand", x.asStrided(ns, nst, x.offset()), new Tensor[]{x}, g -> new Tensor[]{Reductions.sumToShape(g, in)});
    }

    public static Tensor squeeze(Tensor x, int dim) {
        int d = Shape.dim(dim, x.dim());
        if (x.size(d) != 1) return x;
        int[] s = x.shape(), st = x.strides();
        int[] ns = new int[s.length - 1], nst = new int[s.length - 1];
        for (int i = 0, k = 0; i < s.length; i++) {
            if (i == d) continue;
            ns[k] = s[i];
            nst[k++] = st[i];
        }
        int[] in = x.shape();
        return Autograd.record("squeeze", x.asStrided(ns, nst, x.offset()), new Tensor[]{x}, g -> new Tensor[]{g.reshape(in)});
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int r = x.dim() + 1;
        int d = Shape.dim(dim, r);
        int[] s = x.shape(), st = x.strides(), ns = new int[r], nst = new int[r];
        for (int i = 0, k = 0; i < r; i++) {
            if (i == d) {
                ns[i] = 1;
                nst[i] = k < s.length ? st[k] * s[k] : 1;
            } else {
                ns[i] = s[k];
                nst[i] = st[k++];
            }
        }
        int[] in = x.shape();
        return Autograd.record("unsqueeze", x.asStrided(ns, nst, x.offset()), new Tensor[]{x}, g -> new Tensor[]{g.reshape(in)});
    }

    /** A row-major copy (differentiable). */
    public static Tensor contiguousCopy(Tensor x) {
        Tensor out = Tensor.uninitialized(x.dtype(), x.device(), x.shape());
        x.backend().copy(x, out);
        return Autograd.record("copy", out, new Tensor[]{x}, g -> new Tensor[]{g});
    }

    public static Tensor contiguous(Tensor x) { return x.isContiguous() ? x : contiguousCopy(x); }

    public static Tensor toDevice(Tensor x, Device device) {
        Object host = x.backend().download(x);
        Tensor out = new Tensor(Backends.of(device).upload(host), x.shape(), Shape.contiguousStrides(x.shape()), 0);
        Device from = x.device();
        return Autograd.record("to_device", out, new Tensor[]{x}, g -> new Tensor[]{g.to(from)});
    }

    public static Tensor toDType(Tensor x, DType dtype) {
        Tensor out = Tensor.uninitialized(dtype, x.device(), x.shape());
        x.backend().copy(x, out);
        if (!dtype.isFloating()) return out;
        DType from = x.dtype();
        return Autograd.record("to_dtype", out, new Tensor[]{x.dtype().isFloating() ? x : null}, g -> new Tensor[]{g.to(from)});
    }
}
