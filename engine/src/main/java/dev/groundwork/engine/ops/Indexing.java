package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Embedding, gather, index_select, and joining/splitting along a dim. */
public final class Indexing {
    private Indexing() {}

    public static Tensor embedding(Tensor ids, Tensor weight) {
        Out.integral("embedding", "ids", ids);
        Out.rank("embedding", "weight", weight, 2);
        Tensor flat = ids.to(DType.I64).reshape(ids.numel()).contiguous();
        int[] shape = Arrays.copyOf(ids.shape(), ids.dim() + 1);
        shape[ids.dim()] = weight.size(1);
        return indexSelect(weight, 0, flat).reshape(shape);
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        Out.integral("index_select", "index", index);
        Out.rank("index_select", "index", index, 1);
        int d = Shape.dim(dim, x.dim());
        Tensor idx = index.to(DType.I64).contiguous();
        int[] s = x.shape();
        s[d] = idx.numel();
        Tensor out = Out.like(x, s);
        x.backend().indexSelect(x, d, idx, out);
        int[] in = x.shape();
        return Autograd.record("index_select", out, new Tensor[]{x}, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), in);
            g.backend().indexAdd(gx, d, idx, g.contiguous());
            return new Tensor[]{gx};
        });
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        Out.integral("gather", "index", index);
        int d = Shape.dim(dim, x.dim());
        if (index.dim() != x.dim())
            throw new IllegalArgumentException("gather: index " + Shape.str(index.shape()) + " and input " + Shape.str(x.shape()) + " differ in rank");
        Tensor idx = index.to(DType.I64);
        Tensor out = Out.like(x, index.shape());
        x.backend().gather(x, d, idx, out);
        int[] in = x.shape();
        return Autograd.record("gather", out, new Tensor[]{x}, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), in);
            g.backend().scatterAdd(gx, d, idx, g);
            return new Tensor[]{gx};
        });
    }

    public static Tensor cat(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("cat of no tensors");
        Tensor first = ts.get(0);
        int d = Shape.dim(dim, first.dim());
        int total = 0;
        for (Tensor t : ts) {
            Out.sameDevice("cat", first, t);
            Out.sameDType("cat", first, t);
            int[] a = first.shape(), b = t.shape();
            if (a.length != b.length) throw new IllegalArgumentException("cat: ranks differ: " + Shape.str(a) + " and " + Shape.str(b));
            for (int i = 0; i < a.length; i++)
                if (i != d && a[i] != b[i])
                    throw new IllegalArgumentException("cat along dim " + d + ": shapes " + Shape.str(a) + " and " + Shape.str(b) + " differ in dim " + i);
            total += t.size(d);
        }
        int[] s = first.shape();
        s[d] = total;
        Tensor out = Out.like(first, s);
        int[] sizes = new int[ts.size()];
        int at = 0;
        for (int i = 0; i < ts.size(); i++) {
            Tensor t = ts.get(i);
            sizes[i] = t.size(d);
            int[] os = out.shape(), ost = out.strides();
            os[d] = sizes[i];
            first.backend().copy(t, out.asStrided(os, ost, at * ost[d]));
            at += sizes[i];
        }
        return Autograd.record("cat", out, ts.toArray(new Tensor[0]), g -> {
            Tensor[] gs = new Tensor[sizes.length];
            int start = 0;
            for (int i = 0; i < sizes.length; i++) {
                gs[i] = g.narrow(d, start, sizes[i]);
                start += sizes[i];
            }
            return gs;
        });
    }

    public static Tensor stack(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("stack of no tensors");
        int d = Shape.dim(dim, ts.get(0).dim() + 1);
        List<Tensor> us = new ArrayList<>(ts.size());
        for (Tensor t : ts) {
            if (!Arrays.equals(t.shape(), ts.get(0).shape()))
                throw new IllegalArgumentException("stack: shapes " + Shape.str(ts.get(0).shape()) + " and " + Shape.str(t.shape()) + " differ");
            us.add(t.unsqueeze(d));
        }
        return cat(us, d);
    }

    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        if (splitSize <= 0) throw new IllegalArgumentException("split size must be positive, got " + splitSize);
        int d = Shape.dim(dim, x.dim());
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < x.size(d); start += splitSize)
            parts.add(x.narrow(d, start, Math.min(splitSize, x.size(d) - start)));
        return parts;
    }
}
