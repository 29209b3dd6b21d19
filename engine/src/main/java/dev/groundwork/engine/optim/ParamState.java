package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parameter's optimizer state: how many updates it has received (params without a gradient
 * skip steps, so counts can differ, as in torch) and its named buffers.
 *
 * <p>Buffers are replaced by fresh tensors on each update rather than written in place; the
 * replaced tensor is closed, which returns device memory at once instead of waiting for the GC.
 */
public final class ParamState {
    private long step;
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();

    /** Updates applied so far, counting the one in progress during {@code update}. */
    public long step() { return step; }

    void setStep(long step) { this.step = step; }

    /** The buffer, or null before it is first created. */
    public Tensor get(String name) { return buffers.get(name); }

    /** The buffer, first created as zeros shaped like {@code like} (the state a fused step updates in place). */
    public Tensor getOrZeros(String name, Tensor like) {
        Tensor t = buffers.get(name);
        if (t == null) put(name, t = Tensor.zerosLike(like));
        return t;
    }

    /** Stores a buffer, closing the one it replaces. */
    public void put(String name, Tensor t) {
        Tensor old = buffers.put(name, dev.groundwork.engine.tensor.TensorScope.detach(t));
        if (old != null && old != t) old.close();
    }

    public Map<String, Tensor> buffers() { return Collections.unmodifiableMap(buffers); }

    void close() {
        buffers.values().forEach(Tensor::close);
        buffers.clear();
    }
}
