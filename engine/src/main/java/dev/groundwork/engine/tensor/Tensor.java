package dev.groundwork.engine.tensor;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradFn;
import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.ops.Elementwise;
import dev.groundwork.engine.ops.LinearAlgebra;
import dev.groundwork.engine.ops.Reductions;
import dev.groundwork.engine.ops.Views;
import dev.groundwork.engine.random.Generator;

import java.util.Arrays;

/**
 * An n-dimensional view (shape, strides, offset) over a {@link Storage}. Views share the storage;
 * {@link #contiguous()} copies only when the layout requires it. Tensors that require gradients
 * record the op that produced them ({@link #gradFn()}) so {@link #backward()} can run reverse mode.
 *
 * <p>This class holds the data layout and the fluent entry points; the ops themselves, each with
 * its forward and backward side by side, live in package {@code dev.groundwork.engine.ops}.
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private boolean requiresGrad;
    private Tensor grad;
    private GradFn gradFn;
    private int outputNr;
    private boolean closed;
    /** The scope that will close this tensor, or null (see {@link TensorScope}). */
    TensorScope scope;

    /** Wraps a storage; the tensor takes over one reference to it (see {@link #close()}). */
    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length)
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " and strides " + Shape.str(strides) + " differ in rank");
        this.storage = storage;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
        TensorScope.adopt(this);
    }

    // ---------------------------------------------------------------- creation

    public static Tensor empty(DType dtype, Device device, int... shape) {
        Storage s = Backends.of(device).allocate(dtype, Shape.numel(shape));
        return new Tensor(s, shape, Shape.contiguousStrides(shape), 0);
    }

    /**
     * A contiguous tensor whose contents are unspecified (NaN on the CPU under {@code -Dgw.cpu.poison=true}):
     * only for an output that a kernel then overwrites in full. Everything else asks for {@link #empty}, which
     * is zero-filled.
     */
    public static Tensor uninitialized(DType dtype, Device device, int... shape) {
        Storage s = Backends.of(device).allocateUninitialized(dtype, Shape.numel(shape));
        return new Tensor(s, shape, Shape.contiguousStrides(shape), 0);
    }

    public static Tensor zeros(int... shape) { return empty(DType.F32, Device.CPU, shape); }

    public static Tensor zeros(DType dtype, Device device, int... shape) { return empty(dtype, device, shape); }

    public static Tensor zerosLike(Tensor t) { return empty(t.dtype(), t.device(), t.shape); }

    public static Tensor ones(int... shape) { return full(1.0, shape); }

    public static Tensor full(double value, int... shape) { return full(value, DType.F32, Device.CPU, shape); }

    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        Tensor t = empty(dtype, device, shape);
        if (value != 0) t.backend().fill(t, value);
        return t;
    }

    public static Tensor scalar(double value) { return full(value); }

    /** [0, 1, ..., n-1] as F32. */
    public static Tensor arange(int n) { return arange(0, n, 1); }

    public static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("arange step must be non-zero");
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (start + i * step);
        return of(a, n);
    }

    /** Wraps a host array (copied into fresh storage) with the given shape. */
    public static Tensor of(float[] data, int... shape) { return fromHost(data, data.length, DType.F32, Device.CPU, shape); }

    public static Tensor of(double[] data, int... shape) { return fromHost(data, data.length, DType.F64, Device.CPU, shape); }

    public static Tensor ofLongs(long[] data, int... shape) { return fromHost(data, data.length, DType.I64, Device.CPU, shape); }

    public static Tensor ofInts(int[] data, int... shape) { return fromHost(data, data.length, DType.I32, Device.CPU, shape); }

    private static Tensor fromHost(Object array, int length, DType dtype, Device device, int[] shape) {
        if (Shape.numel(shape) != length)
            throw new IllegalArgumentException("array of " + length + " elements does not fit shape " + Shape.str(shape));
        Object copy = switch (array) {
            case float[] a -> a.clone();
            case double[] a -> a.clone();
            case long[] a -> a.clone();
            case int[] a -> a.clone();
            default -> throw new IllegalArgumentException("unsupported host array " + array.getClass());
        };
        Storage s = Backends.of(device).upload(copy);
        return new Tensor(s, shape, Shape.contiguousStrides(shape), 0);
    }

    /** U[0, 1) from the generator's stream (advances it). */
    public static Tensor rand(Generator gen, int... shape) { return gen.uniform(DType.F32, Device.CPU, 0, 1, shape); }

    /** N(0, 1) from the generator's stream (advances it). */
    public static Tensor randn(Generator gen, int... shape) { return gen.normal(DType.F32, Device.CPU, 0, 1, shape); }

    // ---------------------------------------------------------------- layout

    public int[] shape() { return shape.clone(); }

    public int size(int dim) { return shape[Shape.dim(dim, shape.length)]; }

    public int[] strides() { return strides.clone(); }

    public int stride(int dim) { return strides[Shape.dim(dim, shape.length)]; }

    public int offset() { return offset; }

    public int dim() { return shape.length; }

    public int numel() { return Shape.numel(shape); }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    public Storage storage() {
        if (closed) throw new IllegalStateException("tensor " + Shape.str(shape) + " was closed");
        return storage;
    }

    public Backend backend() { return Backends.of(device()); }

    /** Whether the elements are laid out row-major without gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Same data in row-major layout: this tensor if already so, else a copy (differentiable). */
    public Tensor contiguous() { return isContiguous() ? this : Views.contiguous(this); }

    /** A copy with its own storage (differentiable). */
    public Tensor copy() { return Views.contiguousCopy(this); }

    public Tensor to(Device device) { return device.equals(device()) ? this : Views.toDevice(this, device); }

    public Tensor to(DType dtype) { return dtype == dtype() ? this : Views.toDType(this, dtype); }

    // ---------------------------------------------------------------- views

    /**
     * A raw view sharing this storage, outside autograd: the building block of the view ops (which
     * record themselves) and of kernels that address sub-tensors.
     */
    public Tensor asStrided(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage().retain(), newShape, newStrides, newOffset);
    }

    public Tensor view(int... newShape) { return Views.view(this, newShape); }

    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }

    public Tensor flatten() { return reshape(numel()); }

    /** Merges dims [start, end] into one. */
    public Tensor flatten(int start, int end) { return Views.flatten(this, start, end); }

    public Tensor permute(int... order) { return Views.permute(this, order); }

    public Tensor transpose(int d0, int d1) { return Views.transpose(this, d0, d1); }

    /** Transpose of the last two dims. */
    public Tensor mT() { return transpose(-2, -1); }

    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }

    /** Elements start, start+step, ... below end along dim. */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }

    /** Removes dim by picking one index. */
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }

    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }

    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }

    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor o) { return Elementwise.add(this, o); }

    public Tensor add(double c) { return Elementwise.addScalar(this, c); }

    public Tensor sub(Tensor o) { return Elementwise.sub(this, o); }

    public Tensor sub(double c) { return Elementwise.addScalar(this, -c); }

    public Tensor mul(Tensor o) { return Elementwise.mul(this, o); }

    public Tensor mul(double c) { return Elementwise.mulScalar(this, c); }

    public Tensor div(Tensor o) { return Elementwise.div(this, o); }

    public Tensor div(double c) { return Elementwise.mulScalar(this, 1.0 / c); }

    public Tensor neg() { return Elementwise.neg(this); }

    public Tensor exp() { return Elementwise.exp(this); }

    public Tensor log() { return Elementwise.log(this); }

    public Tensor sqrt() { return Elementwise.sqrt(this); }

    public Tensor rsqrt() { return Elementwise.rsqrt(this); }

    public Tensor abs() { return Elementwise.abs(this); }

    public Tensor pow(double p) { return Elementwise.pow(this, p); }

    public Tensor square() { return Elementwise.square(this); }

    public Tensor clamp(double min, double max) { return Elementwise.clamp(this, min, max); }

    public Tensor clampMin(double min) { return Elementwise.clamp(this, min, Double.POSITIVE_INFINITY); }

    public Tensor relu() { return Elementwise.relu(this); }

    public Tensor gelu() { return Elementwise.gelu(this); }

    public Tensor tanh() { return Elementwise.tanh(this); }

    public Tensor sigmoid() { return Elementwise.sigmoid(this); }

    public Tensor maximum(Tensor o) { return Elementwise.maximum(this, o); }

    public Tensor minimum(Tensor o) { return Elementwise.minimum(this, o); }

    /** 1.0 where this == o, else 0.0 (no gradient). */
    public Tensor eq(Tensor o) { return Elementwise.compare(dev.groundwork.engine.backend.BinaryOp.EQ, this, o); }

    public Tensor gt(Tensor o) { return Elementwise.compare(dev.groundwork.engine.backend.BinaryOp.GT, this, o); }

    public Tensor lt(Tensor o) { return Elementwise.compare(dev.groundwork.engine.backend.BinaryOp.LT, this, o); }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() { return Reductions.sumAll(this); }

    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, dim, keepDim); }

    public Tensor mean() { return Reductions.meanAll(this); }

    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, dim, keepDim); }

    /** Maximum along dim and its index. */
    public Reductions.ValuesIndices max(int dim, boolean keepDim) { return Reductions.max(this, dim, keepDim); }

    public Reductions.ValuesIndices min(int dim, boolean keepDim) { return Reductions.min(this, dim, keepDim); }

    public Tensor max() { return Reductions.maxAll(this); }

    public Tensor var(int dim, boolean unbiased, boolean keepDim) { return Reductions.var(this, dim, unbiased, keepDim); }

    // ---------------------------------------------------------------- linear algebra

    public Tensor matmul(Tensor o) { return LinearAlgebra.matmul(this, o); }

    // ---------------------------------------------------------------- in place (outside autograd)

    /**
     * Overwrites this tensor's elements with src's (broadcast to this shape, converted to this dtype).
     * Not recorded by autograd: for optimizer updates, initialisation and loading weights.
     */
    public Tensor copy_(Tensor src) {
        if (!src.device().equals(device())) src = src.detach().to(device());
        backend().copy(dev.groundwork.engine.ops.Elementwise.broadcastView(src.detach(), shape), this);
        return this;
    }

    /** Sets every element to v, outside autograd. */
    public Tensor fill_(double v) {
        backend().fill(this, v);
        return this;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf tensor as a parameter or input whose gradient is wanted. Returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value)
            throw new IllegalStateException("cannot clear requiresGrad on a non-leaf tensor; use detach()");
        if (value && !dtype().isFloating())
            throw new IllegalStateException("only floating-point tensors can require gradients, this one is " + dtype());
        this.requiresGrad = value;
        return this;
    }

    public Tensor grad() { return grad; }

    /** Sets the gradient; it leaves any {@link TensorScope}, living as long as this tensor keeps it. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape))
            throw new IllegalArgumentException("gradient shape " + Shape.str(g.shape) + " does not match tensor shape " + Shape.str(shape));
        this.grad = TensorScope.detach(g);
    }

    /** Drops the gradient and releases its memory (copy it first to keep it). */
    public void zeroGrad() {
        if (grad != null) grad.close();
        this.grad = null;
    }

    public GradFn gradFn() { return gradFn; }

    public int outputNr() { return outputNr; }

    public boolean isLeaf() { return gradFn == null; }

    /** Attaches the op that produced this tensor; called by {@link Autograd} only. */
    public void setGradFn(GradFn fn, int outputNr) {
        this.gradFn = fn;
        this.outputNr = outputNr;
        this.requiresGrad = fn != null;
    }

    /** The same data, cut from the graph. */
    public Tensor detach() {
        return new Tensor(storage().retain(), shape, strides, offset);
    }

    /** Backpropagates from a scalar. */
    public void backward() {
        if (numel() != 1)
            throw new IllegalStateException("backward() without a gradient needs a scalar, this tensor has shape " + Shape.str(shape));
        Autograd.backward(this, Tensor.full(1.0, dtype(), device(), shape));
    }

    /** Backpropagates a given gradient of this tensor's shape. */
    public void backward(Tensor gradient) { Autograd.backward(this, gradient); }

    // ---------------------------------------------------------------- host access

    public float[] toFloatArray() { return (float[]) to(DType.F32).backend().download(to(DType.F32)); }

    public double[] toDoubleArray() { return (double[]) to(DType.F64).backend().download(to(DType.F64)); }

    public long[] toLongArray() { return (long[]) to(DType.I64).backend().download(to(DType.I64)); }

    /** The single element of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item() needs one element, shape is " + Shape.str(shape));
        return toDoubleArray()[0];
    }

    /** The element at a full index (slow; for tests and debugging). */
    public double get(int... index) {
        if (index.length != shape.length)
            throw new IllegalArgumentException("index of rank " + index.length + " for tensor of rank " + shape.length);
        Tensor t = this;
        for (int i = index.length - 1; i >= 0; i--) t = t.detach().select(i, index[i]);
        return t.item();
    }

    // ---------------------------------------------------------------- lifetime

    /**
     * Drops this tensor's reference to its storage. Device memory returns to the allocator when the
     * last tensor sharing the storage is closed. Closing twice is harmless.
     */
    /** Whether {@link #close()} has been called. */
    public boolean isClosed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        storage.release();
    }

    @Override
    public String toString() {
        String head = "Tensor" + Shape.str(shape) + " " + dtype() + " " + device() + (requiresGrad ? " requiresGrad" : "");
        if (numel() > 32 || closed) return head;
        return head + " " + (dtype().isFloating() ? Arrays.toString(toDoubleArray()) : Arrays.toString(toLongArray()));
    }
}
